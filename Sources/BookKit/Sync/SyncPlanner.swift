/// The work of `planSync`, in two steps: `collectEdits` finds the hand
/// edits of the generated files and attributes each to the piece of code
/// its lines come from; `plan` checks that they fit together, moves them
/// into the chapters and checks that the new chapters tangle into the
/// edited files.
struct SyncPlanner {
    let book: Book
    let tangled: [(file: GeneratedFile, origins: [LineOrigin])]
    var errors: [Diagnostic] = []
    var pieceEdits: [PieceEdit] = []
    var syncedFiles: Set<String> = []
    /// The code lines of each edited file (its markers left out), by path,
    /// for the final check.
    var editedCode: [String: [Substring]] = [:]

    init(book: Book, tangled: [(file: GeneratedFile, origins: [LineOrigin])]) {
        self.book = book
        self.tangled = tangled
    }

    /// An edit of one expansion of one piece: `range` of its lines becomes
    /// `lines` (indentation of the references already removed).
    struct PieceEdit {
        var piece: ChunkPiece
        var target: ChunkTarget
        var occurrence: Int
        var range: Range<Int>
        var lines: [String]
        var file: String
        var fileLine: Int
    }

    /// A place an edit may go: lines `range` of an expansion of a piece.
    struct Candidate {
        var origin: LineOrigin
        var range: Range<Int>
    }

    /// Why sync refuses an edit; the planner collects them all.
    struct Refusal: Error {
        var diagnostic: Diagnostic
    }

    /// Combines the edits per piece, applies them to the chapters and checks
    /// that the new chapters tangle into exactly the edited files.
    mutating func plan() throws -> SyncPlan {
        let chosen = chooseEdits()
        if !errors.isEmpty { throw DiagnosticError(errors) }
        let applied = apply(chosen)
        if !errors.isEmpty { throw DiagnosticError(errors) }
        var newBook = book
        newBook.chapters = applied.chapters
        let files = try tangleAndCompare(newBook)
        if !errors.isEmpty { throw DiagnosticError(errors) }
        return SyncPlan(edits: applied.edits, chapterTexts: applied.texts, syncedFiles: syncedFiles, book: newBook, files: files)
    }

    /// The lines of `text`; a final newline does not start another line.
    static func lines(of text: Substring) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// The body of a generated file as `book tangle` writes it: the expanded
/// lines, each piece preceded by a line marker that names its chapter line
/// (and the rest of a piece after an included chunk by another), unless the
/// file is bare; on request, where each line comes from; and the errors of
/// its references that include nothing.
struct TangledBody: ExpansionVisitor {
    let style: CommentStyle
    /// False for a bare export: no markers.
    let annotated: Bool
    let recordsOrigins: Bool
    /// Every line followed by `\n`.
    private(set) var text = ""
    private var chapterOrder = ChapterOrder()
    /// One per line of `text` when `recordsOrigins`.
    private(set) var origins: [LineOrigin] = []
    /// Pieces expanded so far.
    private(set) var occurrences = 0
    private(set) var errors: ReferenceErrors

    /// The chapters the pieces come from, in order of first use.
    var chapters: [String] { chapterOrder.chapters }

    init(path: String, annotated: Bool, recordsOrigins: Bool, graph: ChunkGraph) {
        style = CommentStyle(path: path) ?? .hash
        self.annotated = annotated
        self.recordsOrigins = recordsOrigins
        errors = ReferenceErrors(graph: graph)
    }

    mutating func enter(_ visit: PieceVisit) {
        chapterOrder.enter(visit)
        occurrences += 1
        mark(line: 0, of: visit)
    }

    mutating func code(_ range: Range<Int>, of visit: PieceVisit) {
        let indent = visit.indent
        for (index, line) in zip(range, visit.piece.lines[range]) {
            append(indent, line)
            if recordsOrigins { origins.append(LineOrigin(.code, line: index, of: visit)) }
        }
    }

    mutating func resume(at index: Int, of visit: PieceVisit) {
        mark(line: index, of: visit)
    }

    mutating func skip(_ reference: Reference, of visit: PieceVisit, cycle: ArraySlice<ExpansionFrame>?) {
        errors.report(reference, of: visit, cycle: cycle)
    }

    private mutating func mark(line index: Int, of visit: PieceVisit) {
        guard annotated, let marker = style.lineMarker else { return }
        append(marker.isIndented ? visit.indent : "", marker.render(file: visit.piece.chapter, line: visit.piece.firstLine + index))
        if recordsOrigins { origins.append(LineOrigin(.marker, line: index, of: visit)) }
    }

    private mutating func append(_ indent: String, _ line: String) {
        if !line.isEmpty {
            text.append(indent)
            text.append(line)
        }
        text.append("\n")
    }
}

/// The chapters an expansion's pieces come from, in order of first use
/// (what a generated file's header names).
struct ChapterOrder: ExpansionVisitor {
    private(set) var chapters: [String] = []
    private var seen: Set<String> = []

    mutating func enter(_ visit: PieceVisit) {
        if seen.insert(visit.piece.chapter).inserted { chapters.append(visit.piece.chapter) }
    }
}

/// Where one line of a tangled file's body comes from.
struct LineOrigin: Sendable {
    enum Kind: Sendable { case marker, code }
    var kind: Kind
    /// The piece the line belongs to (a marker: the piece it points into).
    var piece: ChunkPiece
    /// The file or chunk the piece is part of.
    var target: ChunkTarget
    /// The line of `piece.lines` (a marker: the line it names).
    var index: Int
    /// The indentation the enclosing references added to the line.
    var indent: String
    /// Which expansion of the piece this is: a chunk included twice gives
    /// its pieces two occurrences.
    var occurrence: Int

    init(_ kind: Kind, line index: Int, of visit: PieceVisit) {
        self.kind = kind
        piece = visit.piece
        target = visit.target
        self.index = index
        indent = visit.indent
        occurrence = visit.occurrence
    }
}

/// The book's code after each chapter in turn, for the site's diffs: the
/// chunk graph takes in one more chapter, and only the files that reach a
/// chunk the chapter changed are expanded again (a file that reaches no
/// changed chunk expands the same pieces as before, so it would come out
/// the same, byte for byte). Every file is expanded by `ChunkExpander` into
/// its code lines (`NumberedCode`); the property tests check the result
/// against tangling every state from scratch.
struct TangleHistory {
    /// The chunks of the chapters read so far.
    private var graph: ChunkGraph
    /// The code lines of every file after the chapters read so far, in
    /// the order `Tangler.tangle` gives them.
    private(set) var files: [(path: String, code: [Int32])] = []
    /// The pieces as numbered lines, and the lines' texts.
    let pieces = NumberedPieces()
    /// The chunks each chunk's pieces include, by number in `graph`.
    private var includes: [Int: Set<Int>] = [:]
    /// The chunks whose pieces include each chunk, by number.
    private var users: [Int: Set<Int>] = [:]

    init() {
        var ignored = DiagnosticLog()
        graph = ChunkGraph(parsed: [], log: &ignored)
    }

    /// Reads the next chapter. Diagnostics are not kept: `book check` and
    /// `book tangle --upto` report them.
    mutating func read(_ chapter: ParsedChapter) {
        var ignored = DiagnosticLog()
        let changed = graph.add(chapter, log: &ignored).map { graph.numbers[$0]! }
        for number in changed { updateIncludes(of: number) }
        let stale = files(reaching: changed)
        let previous = Dictionary(files.map { ($0.path, $0.code) }, uniquingKeysWith: { first, _ in first })
        files = graph.files.map { path in
            if !stale.contains(path), let code = previous[path] { return (path, code) }
            return (path, code(of: path))
        }
    }

    private mutating func updateIncludes(of number: Int) {
        let now = Set((graph.numbered[number]?.pieces ?? []).flatMap(\.includes))
        for gone in (includes[number] ?? []).subtracting(now) { users[gone]?.remove(number) }
        for included in now { users[included, default: []].insert(number) }
        includes[number] = now
    }

    /// The files whose expansion may include one of `changed`: the files
    /// among them and among everything that includes them, directly or
    /// through other chunks.
    private func files(reaching changed: [Int]) -> Set<String> {
        var paths: Set<String> = []
        Reach.walk(from: changed) { number, leadsTo in
            if case .file(let path) = graph.targets[number] { paths.insert(path) }
            for user in users[number] ?? [] { leadsTo(user) }
        }
        return paths
    }

    /// A file's code lines as numbers. (`ChapterChanges.code(of:)` splits
    /// a body by Characters, and "\r\n" is one; but no line ends in "\r":
    /// a chapter's text has none, and a marker does not end with the
    /// chapter's path, so the lines are the same.)
    private func code(of path: String) -> [Int32] {
        var code = NumberedCode(path: path, pieces: pieces)
        ChunkExpander(graph: graph).expand(file: path, into: &code)
        return code.code
    }

    /// What every chapter of `chapters` changes, by chapter path. States
    /// that do not tangle cleanly show what tangles (`book check` and
    /// `book tangle --upto` report their errors).
    static func changesByChapter(_ chapters: [ParsedChapter]) -> [String: ChapterChanges] {
        var result: [String: ChapterChanges] = [:]
        var history = TangleHistory()
        var previous: Int?
        for chapter in chapters {
            let before = history.files
            history.read(chapter)
            result[chapter.chapter.path] = ChapterChanges(
                chapter: chapter.chapter.number, previous: previous, before: before, after: history.files, lines: history.pieces.lines)
            previous = chapter.chapter.number
        }
        return result
    }
}

/// The code states of a book, chapter after chapter, each built from the one
/// before: the chunk graph takes in one more chapter, and only the files that
/// reach a chunk this chapter changed are tangled again. A file that reaches
/// no changed chunk expands the same pieces as before, so it would come out
/// the same, byte for byte.
struct CodeStates {
    /// The chunks of the chapters read so far.
    private(set) var graph: ChunkGraph
    /// The files as they stand after the chapters read so far, in the order
    /// `Tangler.tangle` gives them.
    private(set) var files: [GeneratedFile] = []
    /// The chunk names each target's pieces reference.
    private var references: [ChunkTarget: Set<String>] = [:]
    /// For each chunk name, the targets whose pieces reference it.
    private var users: [String: Set<ChunkTarget>] = [:]

    init() {
        var ignored = DiagnosticLog()
        graph = ChunkGraph(chapters: [], log: &ignored)
    }

    /// Reads the next chapter; returns the files tangled again, each with
    /// its code lines (`ChapterChanges.code(of:)`). Diagnostics are not
    /// kept: `book check` and `book tangle --upto` report them.
    mutating func read(_ chapter: Chapter) -> [(file: GeneratedFile, code: [String])] {
        var ignored = DiagnosticLog()
        let changed = graph.add(chapter, log: &ignored)
        for target in changed { updateReferences(of: target) }
        let stale = files(reaching: changed)
        let previous = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var tangler = Tangler(graph: graph)
        tangler.reportsReferenceErrors = false
        var used: Set<String> = []
        var tangled: [(file: GeneratedFile, code: [String])] = []
        files = graph.files.map { path in
            if !stale.contains(path), let file = previous[path] { return file }
            let (file, lines) = tangler.tangleLines(file: path, used: &used, log: &ignored)
            tangled.append((file, ChapterChanges.code(of: file, lines: lines)))
            return file
        }
        return tangled
    }

    private mutating func updateReferences(of target: ChunkTarget) {
        let pieces = graph.chunks[target]?.pieces ?? []
        let names = Set(pieces.flatMap { $0.lines.compactMap { Reference(line: $0)?.name } })
        for name in references[target, default: []].subtracting(names) { users[name]?.remove(target) }
        for name in names { users[name, default: []].insert(target) }
        references[target] = names
    }

    /// The files whose expansion may include one of `targets`: the file
    /// targets among them and among everything that references them,
    /// directly or through other chunks.
    private func files(reaching targets: Set<ChunkTarget>) -> Set<String> {
        var seen = targets
        var pending = Array(targets)
        var paths: Set<String> = []
        while let target = pending.popLast() {
            switch target {
            case .file(let path):
                paths.insert(path)
            case .named(let name):
                for user in users[name] ?? [] where seen.insert(user).inserted { pending.append(user) }
            }
        }
        return paths
    }
}

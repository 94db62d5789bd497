/// Turns the chunk graph into files: every file expanded (`ChunkExpander`)
/// into its body (`TangledBody`), its undefined and cyclic references
/// reported, and the chunks no file uses warned about.
public struct Tangler: Sendable {
    public let graph: ChunkGraph
    /// False for a bare export: no source-location markers.
    public let annotated: Bool

    public init(graph: ChunkGraph, annotated: Bool = true) {
        self.graph = graph
        self.annotated = annotated
    }

    /// Every file the chapters define, or every error found (undefined and
    /// cyclic references), plus warnings for chunks no file uses.
    public func tangle() throws -> [GeneratedFile] {
        var log = DiagnosticLog()
        let files = tangle(log: &log)
        try log.throwIfErrors()
        return files
    }

    func tangle(log: inout DiagnosticLog) -> [GeneratedFile] {
        tangle(recordingOrigins: false, log: &log).map(\.file)
    }

    /// The files, each with the origin of every line of its body when
    /// `recordingOrigins` (what `book sync` maps edits back with).
    func tangle(recordingOrigins: Bool, log: inout DiagnosticLog) -> [(file: GeneratedFile, origins: [LineOrigin])] {
        tangle(recordingOrigins: recordingOrigins, reusing: nil, log: &log).compactMap { result in
            result.file.map { ($0, result.origins) }
        }
    }

    /// The files, except those `reusing` accepts: it is asked, for each
    /// file, with the chapters the file's pieces come from, and a file it
    /// accepts comes back as nil, unexpanded (its text on disk is still
    /// right; see `IncrementalTangle`). Unused-chunk warnings count the
    /// references of every file, expanded or not.
    ///
    /// Files are expanded at the same time on all cores, each with its own
    /// log; the results are then put together in the order of the files, as
    /// if they had been expanded one after another.
    func tangle(
        recordingOrigins: Bool, reusing: (@Sendable (_ path: String, _ chapters: Set<String>) -> Bool)?, log: inout DiagnosticLog
    ) -> [(path: String, file: GeneratedFile?, origins: [LineOrigin])] {
        let paths = graph.files
        let expand: @Sendable (String) -> (body: TangledBody?, reached: [Int], diagnostics: [Diagnostic]) = { path in
            let reached = graph.reach(of: path)
            if let reusing, reusing(path, graph.chapters(of: reached)) { return (nil, reached, []) }
            var body = TangledBody(path: path, annotated: annotated, recordsOrigins: recordingOrigins, graph: graph)
            ChunkExpander(graph: graph).expand(file: path, into: &body)
            return (body, reached, body.errors.log.all)
        }
        let expanded = Parallel.map(paths, expand)

        // Which chunks some file reaches, by number.
        var used = [Bool](repeating: false, count: graph.numbered.count)
        var files: [(path: String, file: GeneratedFile?, origins: [LineOrigin])] = []
        var occurrences = 0
        for (path, result) in zip(paths, expanded) {
            for number in result.reached { used[number] = true }
            for diagnostic in result.diagnostics {
                // A reference expanded in several files is reported once.
                let seen = diagnostic.severity == .error && diagnostic.location.map(log.hasError(at:)) == true
                if !seen { log.report(diagnostic) }
            }
            guard let body = result.body else {
                files.append((path, nil, []))
                continue
            }
            // Number the pieces' expansions on from the files before.
            var origins = body.origins
            if occurrences > 0 {
                for index in origins.indices { origins[index].occurrence += occurrences }
            }
            occurrences += body.occurrences
            files.append((path, file(path, from: body), origins))
        }
        var unused: [(name: String, at: SourceLocation)] = []
        for (number, chunk) in graph.numbered.enumerated() {
            if let chunk, case .named(let name) = chunk.target, !used[number] { unused.append((name, chunk.definition)) }
        }
        unused.sort { ($0.at.file, $0.at.line, $0.at.column) < ($1.at.file, $1.at.line, $1.at.column) }
        for chunk in unused {
            log.report(.warning("chunk \"\(chunk.name)\" is never used", at: chunk.at))
        }
        return files
    }

    private func file(_ path: String, from body: TangledBody) -> GeneratedFile {
        GeneratedFile(path: path, body: body.text, chapters: body.chapters, isBare: !annotated)
    }
}

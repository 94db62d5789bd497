/// A book read for one run of `book`: every chapter parsed once
/// (`ParsedChapter`: libcmark's pass, code blocks, attributes, references,
/// the chapter's own checks), and the chunk graph built once from them.
/// The checks, the tangle and the weave of the run all walk this one model.
public struct ParsedBook: Sendable {
    /// The book, with the chapters read.
    public let book: Book
    let chapters: [ParsedChapter]
    let graph: ChunkGraph
    /// The checks of the chapters: their numbering, then each chapter's own.
    let lint: [Diagnostic]
    /// What building the graph found.
    let graphDiagnostics: [Diagnostic]

    /// Reads every chapter of `book`; `keepingDocuments` keeps libcmark's
    /// documents for `weave()`.
    public init(_ book: Book, keepingDocuments: Bool = false) {
        self.init(book, parsed: ParsedChapter.all(book.chapters, keepingDocuments: keepingDocuments))
    }

    /// `book` from its chapters already parsed (`chapters[i]` is
    /// `book.chapters[i]`).
    private init(_ book: Book, parsed chapters: [ParsedChapter]) {
        self.book = book
        self.chapters = chapters
        var lintLog = DiagnosticLog(), graphLog = DiagnosticLog()
        Lint.check(chapters, log: &lintLog)
        lint = lintLog.all
        graph = ChunkGraph(parsed: chapters, log: &graphLog)
        graphDiagnostics = graphLog.all
    }

    /// Reads the chapters up to and including number `upTo` (all when nil):
    /// the book as it stands after that chapter.
    public init(_ book: Book, upTo: Int?) throws {
        var prefix = book
        prefix.chapters = try book.chapters(upTo: upTo)
        self.init(prefix)
    }

    /// The book as it stands after chapter `upTo`, from the chapters read.
    func upTo(_ upTo: Int) throws -> ParsedBook {
        var prefix = book
        prefix.chapters = try book.chapters(upTo: upTo)
        return ParsedBook(prefix, parsed: Array(chapters.prefix(prefix.chapters.count)))
    }

    /// The generated files, and the warnings found on the way;
    /// `parsedChapters` says whether the parsed chapters are freed on the
    /// way out.
    public func tangle(
        annotated: Bool = true, parsedChapters: ParsedChapterLifetime = .freedAfterUse
    ) throws -> (files: [GeneratedFile], warnings: [Diagnostic]) {
        let result = try tangle(annotated: annotated, reusing: nil, parsedChapters: parsedChapters)
        return (result.files, result.warnings)
    }

    /// `tangle`, leaving out the files `reusing` accepts (see
    /// `IncrementalTangle`); their paths come back in `reused`.
    func tangle(
        annotated: Bool, reusing: (@Sendable (String, Set<String>) -> Bool)?, parsedChapters: ParsedChapterLifetime
    ) throws -> (files: [GeneratedFile], reused: [String], warnings: [Diagnostic]) {
        var log = DiagnosticLog()
        log.report(contentsOf: lint)
        log.report(contentsOf: graphDiagnostics)
        let results = Tangler(graph: graph, annotated: annotated).tangle(recordingOrigins: false, reusing: reusing, log: &log)
        parsedChapters.done(with: self)
        try log.throwIfErrors()
        return (results.compactMap(\.file), results.filter { $0.file == nil }.map(\.path), log.all)
    }
}

extension ParsedBook {
    /// The woven book: every page of `site/`, its assets and search index,
    /// as generated files (paths start with `site/`). Renders the documents
    /// the chapters were read from (`keepingDocuments`); rendering rewrites
    /// them, so weaving again, or a book read without them, parses the
    /// chapters again for the pages.
    public func weave() throws -> [GeneratedFile] {
        var log = DiagnosticLog()
        log.report(contentsOf: graphDiagnostics)
        var renderer = SiteRenderer(parsed: self, log: &log)
        renderer.solutions = try book.solutions()
        let files = renderer.files(log: &log)
        try log.throwIfErrors()
        // Freeing the renderer's tables takes a while: another thread does
        // it while the files are written.
        Parallel.release(renderer)
        return files
    }
}

extension Book {
    /// The woven book (see `ParsedBook.weave`).
    public func weave() throws -> [GeneratedFile] {
        try ParsedBook(self, keepingDocuments: true).weave()
    }
}

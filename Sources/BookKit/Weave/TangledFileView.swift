/// The page of one tangled file: the file as `book tangle` writes it,
/// without header and line markers, each piece labelled with the chunk it
/// comes from and linked back to it.
struct TangledFileView {
    let graph: ChunkGraph
    let index: ChunkIndex
    let symbols: SymbolIndex

    /// `files/asm/entry32.S.html`
    static func pageName(for path: String) -> String { "files/\(path).html" }

    /// The path from the file's page back to the site's root.
    static func prefix(for path: String) -> String {
        String(repeating: "../", count: pageName(for: path).split(separator: "/").count - 1)
    }

    static func language(for path: String) -> CodeLanguage {
        switch CommentStyle(path: path) {
        case .swift: .swift
        case .cpp: .asm
        case .blockComment where path.hasSuffix(".ld"): .ld
        case .hash where path.hasSuffix(".sh"): .shell
        default: .plain
        }
    }

    /// The `<pre>` of the whole file.
    func codeHTML(for path: String) -> String {
        guard graph[.file(path)] != nil else { return "" }
        let language = Self.language(for: path)
        var page = PageCode(
            index: index, renderer: CodeRenderer(index: index, symbols: symbols, prefix: Self.prefix(for: path)), language: language)
        page.html.append("<pre class=\"code tangled lang-")
        page.html.append(language.rawValue)
        page.html.append("\"><code>")
        ChunkExpander(graph: graph).expand(file: path, into: &page)
        page.html.append("</code></pre>")
        return page.html.string
    }

    /// The expansion as HTML: each piece's code highlighted after a label
    /// that links to its block, references that include nothing as they
    /// are written.
    private struct PageCode: ExpansionVisitor {
        let index: ChunkIndex
        let renderer: CodeRenderer
        let language: CodeLanguage
        let html = HTMLBytes()
        /// One run of lines, indented, each with its newline.
        private let run = HTMLBytes()

        init(index: ChunkIndex, renderer: CodeRenderer, language: CodeLanguage) {
            self.index = index
            self.renderer = renderer
            self.language = language
        }

        func enter(_ visit: PieceVisit) {
            label(visit, continued: false)
        }

        func code(_ lines: Range<Int>, of visit: PieceVisit) {
            for line in visit.piece.lines[lines] {
                if !line.isEmpty {
                    run.append(visit.indent)
                    run.append(line)
                }
                run.append("\n")
            }
            run.withBytes { renderer.appendCodeHTML(bytes: $0, language: language, to: html) }
            run.removeAll()
        }

        func resume(at index: Int, of visit: PieceVisit) {
            label(visit, continued: true)
        }

        func skip(_ reference: Reference, of visit: PieceVisit, cycle: ArraySlice<ExpansionFrame>?) {
            html.appendEscaped(visit.indent + reference.indent)
            html.append(renderer.referenceHTML(reference.name, chapterNumber: Int.max))
            html.append("\n")
        }

        private func label(_ visit: PieceVisit, continued: Bool) {
            let key = BlockKey(chapter: visit.piece.fenceLocation.file, line: visit.piece.fenceLocation.line)
            guard let place = index.blocks[key]?.place else { return }
            let text = "\(CodeRenderer.targetName(visit.target)) <span class=\"label\">\(place.label)</span>\(continued ? " (continued)" : "")"
            html.append("<span class=\"seg\">\(visit.indent)<a href=\"\(renderer.prefix)\(place.href)\">\(text)</a>\n</span>")
        }
    }
}

import Foundation

/// Puts the site together: chapter pages, tangled-file pages, the landing
/// page, assets and the search index.
struct SiteRenderer {
    static let folder = "site"

    let book: Book
    let pages: [ChapterPage]
    /// The glossary and the references, after the chapters.
    let appendices: [ChapterPage]
    let index: ChunkIndex
    let symbols: SymbolIndex
    let highlighted: [BlockKey: HighlightedCode]
    let graph: ChunkGraph
    /// The chapters each tangled file comes from.
    let fileChapters: [String: [String]]
    /// What each chapter changes in the generated files, by chapter path:
    /// every chapter's code state is worked out on another core while the
    /// rest begins.
    let changes: Background<[String: ChapterChanges]>
    /// libcmark's document of each chapter, to be rendered.
    let documents: [MarkdownDocument?]
    /// The exercises' reference solutions, by id.
    var solutions: [String: ExerciseSolution] = [:]
    /// The drawn figures (`<figure>` with inline SVG) by their block.
    let figures: [BlockKey: String]

    /// The site of a book read for weaving; what goes wrong goes to `log`.
    init(parsed: ParsedBook, log: inout DiagnosticLog) {
        let chapters = parsed.chapters
        changes = Background { TangleHistory.changesByChapter(chapters).filter { !$0.value.files.isEmpty } }
        book = parsed.book
        documents = chapters.map(\.document)
        pages = book.chapters.map(ChapterPage.init)
        appendices = book.appendices.enumerated().map { ChapterPage(appendix: $1, position: $0) }
        graph = parsed.graph
        index = ChunkIndex(pages: pages, parsed: chapters)
        // Highlighting is done page by page on every core; the symbols are
        // collected in book order (the first definition of a name wins).
        let index = index
        let highlightedPages = Parallel.map(pages) { page in
            (index.blocksByChapter[page.chapter.path] ?? []).map { block in
                HighlightedCode(lines: block.block.lines, references: block.references, language: CodeLanguage(info: block.attributes.language))
            }
        }
        var highlighted: [BlockKey: HighlightedCode] = [:]
        var symbols = SymbolIndex()
        for (page, codes) in zip(pages, highlightedPages) {
            for (block, code) in zip(index.blocksByChapter[page.chapter.path] ?? [], codes) {
                highlighted[block.key] = code
                if block.place != nil { symbols.collect(code, key: block.key, page: page.fileName) }
            }
        }
        self.highlighted = highlighted
        self.symbols = symbols
        let graph = graph
        fileChapters = Dictionary(graph.files.map { ($0, Self.chapters(of: $0, in: graph)) }, uniquingKeysWith: { first, _ in first })
        figures = Self.drawFigures(pages: pages, index: index, log: &log)
    }

    /// The chapters a file's pieces come from, in the order `Tangler`
    /// expands them (`GeneratedFile.chapters`), found without tangling.
    static func chapters(of path: String, in graph: ChunkGraph) -> [String] {
        var order = ChapterOrder()
        ChunkExpander(graph: graph).expand(file: path, into: &order)
        return order.chapters
    }

    /// Draws every figure block; problems in a description are errors at
    /// the word that causes them.
    static func drawFigures(pages: [ChapterPage], index: ChunkIndex, log: inout DiagnosticLog) -> [BlockKey: String] {
        var figures: [BlockKey: String] = [:]
        for page in pages {
            var count = 0
            var ids: [String: SourceLocation] = [:]
            for block in index.blocksByChapter[page.chapter.path] ?? [] {
                guard let attributes = block.attributes.figure else { continue }
                count += 1
                if let other = ids[attributes.id] {
                    log.report(.error("two figures of this chapter have id=\(attributes.id)", at: block.block.infoLocation,
                                      notes: [.note("the other one", at: other)]))
                    continue
                }
                ids[attributes.id] = block.block.infoLocation
                let figure = Figure(attributes: attributes, number: "\(page.chapter.number).\(count)", block: block.block)
                do {
                    figures[block.key] = try figure.html()
                } catch {
                    log.report(.error(error.message, at: error.location ?? block.block.infoLocation))
                }
            }
        }
        return figures
    }

    func files(log: inout DiagnosticLog) -> [GeneratedFile] {
        let allChapters = book.chapters.map(\.path)
        let pagesByPath = Dictionary(pages.map { ($0.chapter.path, $0) }, uniquingKeysWith: { first, _ in first })

        // First what does not depend on the chapters' changes, while they
        // are worked out: the landing page and the tangled files (their
        // sidebars show no chapter's outline), the chapters' articles.
        let outlineless = PageTemplate(pages: pages, outlines: [:], files: graph.files, appendices: appendices)
        let landing = LandingPage(
            book: book, pages: pages, index: index, files: graph.files, fileChapters: fileChapters, appendices: appendices)
        let first = pages.first.map { PageTemplate.Link(href: $0.fileName, title: $0.title) }
        let landingPage = Self.file("index.html", outlineless.page(
            title: PageTemplate.bookTitle, path: "index.html", current: nil,
            content: landing.html, previous: nil, next: first), chapters: allChapters)
        let view = TangledFileView(graph: graph, index: index, symbols: symbols)
        let tangledPages = Parallel.map(graph.files) { path in
            tangledFilePage(path, view: view, template: outlineless, pagesByPath: pagesByPath)
        }
        var renderer = ChapterRenderer(
            pages: pages, index: index, symbols: symbols, highlighted: highlighted, changed: nil,
            solutions: solutions, figures: figures, appendices: appendices,
            chaptersFolder: book.root.appendingPathComponent("chapters"))
        var chapters = Parallel.map(Array(zip(pages, documents)), renderer.render)

        let changes = self.changes.value
        renderer.changed = Set(changes.keys)
        for position in chapters.indices {
            let hasChanges = changes[chapters[position].page.chapter.path] != nil
            chapters[position] = chapters[position].resolvingChangesLink(hasChanges: hasChanges)
            if hasChanges {
                chapters[position].outline.append(.init(level: 2, title: ChangesView.title, anchor: ChangesView.anchor))
            }
        }
        let template = PageTemplate(
            pages: pages, outlines: Dictionary(chapters.map { ($0.page.fileName, $0.outline) }, uniquingKeysWith: { a, _ in a }),
            files: graph.files, appendices: appendices)

        // Chapters, then the appendices, one sequence for previous/next.
        let sequence = pages + appendices
        let rendered = chapters + appendices.map { renderer.render($0, document: nil) }
        let chapterPages = Parallel.map(Array(rendered.enumerated())) { position, chapter in
            chapterPage(chapter, at: position, in: sequence, template: template, changes: changes)
        }
        var output = [landingPage]
        output += chapterPages.map(\.file)
        output += tangledPages

        let search = SearchIndex(entries: chapterPages.flatMap(\.search))
        output.append(Self.file("search-index.js", search.script, chapters: allChapters))
        output.append(Self.file("assets/book.css", Assets.css, chapters: []))
        output.append(Self.file("assets/book.js", Assets.js, chapters: []))
        output += images(rendered, log: &log)
        return output
    }

    /// The pictures the pages show, copied into site/images/ with their
    /// checksum list; the problems with the others go into `log`.
    private func images(_ rendered: [RenderedChapter], log: inout DiagnosticLog) -> [GeneratedFile] {
        var byPath: [String: GeneratedFile] = [:]
        for chapter in rendered {
            log.report(contentsOf: chapter.imageProblems)
            for image in chapter.images {
                var file = byPath[image.path] ?? GeneratedFile(path: "\(Self.folder)/\(image.path)", bytes: image.bytes, chapters: [])
                if !file.chapters.contains(chapter.page.chapter.path) { file.chapters.append(chapter.page.chapter.path) }
                byPath[image.path] = file
            }
        }
        guard !byPath.isEmpty else { return [] }
        let files = byPath.values.sorted { $0.path < $1.path }
        return files + [ChecksumList.file(for: files, in: "\(Self.folder)/\(ChapterImage.folder)")]
    }

    private static func file(_ path: String, _ body: String, chapters: [String]) -> GeneratedFile {
        GeneratedFile(path: "\(folder)/\(path)", body: body, chapters: chapters)
    }

    /// A chapter's page, and its entries in the search index: its sections
    /// and its chunks.
    private func chapterPage(
        _ chapter: RenderedChapter, at position: Int, in sequence: [ChapterPage], template: PageTemplate,
        changes: [String: ChapterChanges]
    ) -> (file: GeneratedFile, search: [SearchIndex.Entry]) {
        let page = chapter.page
        let previous = position > 0
            ? PageTemplate.Link(href: sequence[position - 1].fileName, title: sequence[position - 1].title)
            : PageTemplate.Link(href: "index.html", title: PageTemplate.bookTitle)
        let next = position + 1 < sequence.count
            ? PageTemplate.Link(href: sequence[position + 1].fileName, title: sequence[position + 1].title) : nil
        let changesHTML = changes[page.chapter.path].map { ChangesView(changes: $0, symbols: symbols, index: index).html } ?? ""
        let content = ["<article class=\"chapter\(page.isAppendix ? " appendix" : "")\">\n", chapter.article, changesHTML, "</article>"]
        let file = Self.file(page.fileName, template.page(
            title: page.title, path: page.fileName, current: page.fileName,
            content: content, previous: previous, next: next), chapters: [page.chapter.path])
        var search = chapter.search
        for block in index.blocksByChapter[page.chapter.path] ?? [] {
            guard let place = block.place, let code = highlighted[block.key] else { continue }
            search.append(SearchIndex.Entry(
                title: "\(CodeRenderer.plainName(place.target)) \(place.label)", chapter: page.title,
                url: place.href, text: code.text, isCode: true))
        }
        return (file, search)
    }

    /// The page of one tangled file.
    private func tangledFilePage(
        _ path: String, view: TangledFileView, template: PageTemplate, pagesByPath: [String: ChapterPage]
    ) -> GeneratedFile {
        let chapters = fileChapters[path] ?? []
        let prefix = TangledFileView.prefix(for: path)
        let from = chapters.compactMap { pagesByPath[$0] }
            .map { "<a href=\"\(prefix)\($0.fileName)\">\($0.numberLabel.lowercased()), \(HTML.escape($0.title))</a>" }
        let content = """
            <article class="tangled-file">
            <h1><span class="chapter-number">Tangled file</span><code>\(HTML.escape(path))</code></h1>
            <p>This is <code>\(HTML.escape(path))</code> as <code>book tangle</code> writes it from \(from.joined(separator: "; ")), \
            without its header and the line markers that point back into the chapters. Each piece is labelled with the chunk \
            it comes from; follow a label to read that code where the book explains it.</p>
            <div class="code-block file-view">\(view.codeHTML(for: path))</div>
            </article>
            """
        return Self.file(TangledFileView.pageName(for: path), template.page(
            title: path, path: TangledFileView.pageName(for: path), current: nil,
            content: content, previous: nil, next: nil), chapters: chapters)
    }
}

extension CodeRenderer {
    /// A target's name as plain text: `⟨name⟩` or the path.
    static func plainName(_ target: ChunkTarget) -> String {
        switch target {
        case .file(let path): path
        case .named(let name): "⟨\(name)⟩"
        }
    }
}

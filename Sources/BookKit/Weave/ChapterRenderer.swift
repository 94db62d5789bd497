import CCmark
import Foundation

/// A chapter rendered to HTML, with what the rest of the site needs from it.
struct RenderedChapter {
    struct OutlineEntry {
        var level: Int
        var title: String
        var anchor: String
    }

    var page: ChapterPage
    /// The inside of `<article>`.
    var article: String
    /// Headings of level 2 and 3.
    var outline: [OutlineEntry]
    var search: [SearchIndex.Entry]
    /// The pictures the chapter shows, and why any others cannot be shown.
    var images: [ChapterImage] = []
    var imageProblems: [Diagnostic] = []

    /// Puts the link to "What changed" where the chapter was rendered
    /// without knowing whether it has that section, or takes the
    /// placeholder out.
    func resolvingChangesLink(hasChanges: Bool) -> RenderedChapter {
        guard let range = article.utf8.firstRange(of: ChapterRenderer.changesLinkPlaceholder.utf8) else { return self }
        var copy = self
        copy.article = String(article[..<range.lowerBound]) + (hasChanges ? ChangesView.link : "") + String(article[range.upperBound...])
        return copy
    }
}

/// Renders one chapter with libcmark: code blocks become highlighted,
/// cross-referenced chunks (libcmark HTML blocks replace them), headings
/// get stable anchors, pipe tables become tables, exercises and their
/// hints get their own markup.
struct ChapterRenderer {
    let pages: [ChapterPage]
    let index: ChunkIndex
    let symbols: SymbolIndex
    let highlighted: [BlockKey: HighlightedCode]
    /// The chapters (paths) whose page ends with "What changed in this
    /// chapter"; nil while that is not known: each page then carries
    /// `changesLinkPlaceholder` where the link to that section goes
    /// (`RenderedChapter.resolvingChangesLink` puts it in or takes it out).
    var changed: Set<String>? = []
    /// The reference solutions of the exercises, by id: each follows its
    /// exercise's checker block, collapsed.
    var solutions: [String: ExerciseSolution] = [:]
    /// The drawn figures by their block.
    var figures: [BlockKey: String] = [:]
    /// The reference pages after the chapters (glossary, references).
    var appendices: [ChapterPage] = []
    /// Where the pictures' paths start (`ChapterImage`).
    var chaptersFolder: URL

    /// Stands for the link to "What changed" until the changes are known:
    /// no chapter text holds it, it is made anew for every run.
    static let changesLinkPlaceholder = "<!-- what changed \(UUID().uuidString) -->"

    static let renderOptions = CMARK_OPT_UNSAFE

    /// Renders the page from `document`, the tree its chapter was read
    /// with; from a tree of its own when there is none (an appendix) or the
    /// chapter's was rendered before.
    func render(_ page: ChapterPage, document: MarkdownDocument?) -> RenderedChapter {
        var state = State(page: page, renderer: self)
        guard let document = document?.take() ?? MarkdownDocument(parsing: page.chapter.text)?.take() else {
            return RenderedChapter(page: page, article: "", outline: [], search: [])
        }
        defer { cmark_node_free(document) }
        state.processTopLevel(document)
        let article = Cmark.html(document)
        state.finishSection()
        return RenderedChapter(
            page: page, article: article, outline: state.outline, search: state.search,
            images: state.images, imageProblems: state.imageProblems)
    }

    /// The mutable state of one chapter's rendering.
    private struct State {
        let page: ChapterPage
        let renderer: ChapterRenderer
        let sourceLines: [Substring]
        let code: CodeRenderer
        var anchors = AnchorSet()
        var outline: [RenderedChapter.OutlineEntry] = []
        var search: [SearchIndex.Entry] = []
        var sectionTitle: String
        var sectionAnchor = ""
        var sectionText = ""
        /// The heading level of the open exercise section.
        var exerciseLevel: Int?
        var images: [ChapterImage] = []
        var imageProblems: [Diagnostic] = []

        init(page: ChapterPage, renderer: ChapterRenderer) {
            self.page = page
            self.renderer = renderer
            sourceLines = page.chapter.text.lines()
            code = CodeRenderer(index: renderer.index, symbols: renderer.symbols)
            sectionTitle = page.title
            for block in renderer.index.blocksByChapter[page.chapter.path] ?? [] {
                if let place = block.place { anchors.reserve(place.anchor) }
            }
            for anchor in renderer.symbols.anchors(on: page.fileName) { anchors.reserve(anchor) }
            for block in renderer.index.blocksByChapter[page.chapter.path] ?? [] {
                if let figure = block.attributes.figure { anchors.reserve("fig-\(figure.id)") }
            }
            anchors.reserve(ChangesView.anchor)
        }

        mutating func finishSection() {
            let text = sectionText.collapsingWhitespace()
            search.append(SearchIndex.Entry(
                title: sectionTitle, chapter: page.title,
                url: page.fileName + (sectionAnchor.isEmpty ? "" : "#\(sectionAnchor)"), text: text))
            sectionText = ""
        }

        mutating func processTopLevel(_ document: OpaquePointer) {
            var child = cmark_node_first_child(document)
            while let node = child {
                let next = cmark_node_next(node)
                if cmark_node_get_type(node) == CMARK_NODE_HEADING {
                    let level = Int(cmark_node_get_heading_level(node))
                    if let open = exerciseLevel, level <= open {
                        cmark_node_insert_before(node, Cmark.htmlBlock("</section>"))
                        exerciseLevel = nil
                    }
                } else if let figure = figureTitle(node) {
                    sectionText += " " + figure
                } else {
                    sectionText += " " + Cmark.plainText(node)
                }
                process(node)
                child = next
            }
            if exerciseLevel != nil {
                cmark_node_append_child(document, Cmark.htmlBlock("</section>"))
                exerciseLevel = nil
            }
        }

        /// In an appendix, a list whose every item starts with a **term**
        /// becomes a definition list; each term gets an anchor, `#term-...`.
        mutating func definitionList(_ list: OpaquePointer) {
            var items: [(term: OpaquePointer, item: OpaquePointer)] = []
            var child = cmark_node_first_child(list)
            while let item = child {
                guard let paragraph = cmark_node_first_child(item), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                      let first = cmark_node_first_child(paragraph), cmark_node_get_type(first) == CMARK_NODE_STRONG
                else { return }
                items.append((first, item))
                child = cmark_node_next(item)
            }
            guard !items.isEmpty else { return }
            var html = "<dl class=\"glossary\">\n"
            for (term, item) in items {
                let text = Cmark.plainText(term).trimmingWhitespace()
                let anchor = anchors.unique("term-" + HTML.slug(text))
                var termHTML = Cmark.html(cmark_node_first_child(item)!)
                if let open = termHTML.range(of: "<strong>"), let close = termHTML.range(of: "</strong>") {
                    termHTML = String(termHTML[open.upperBound..<close.lowerBound])
                }
                // The definition: the rest of the first paragraph, without the ": " after the term.
                let paragraph = cmark_node_first_child(item)!
                cmark_node_unlink(term)
                cmark_node_free(term)
                if let next = cmark_node_first_child(paragraph), cmark_node_get_type(next) == CMARK_NODE_TEXT,
                   let literal = cmark_node_get_literal(next).map({ String(cString: $0) }) {
                    cmark_node_set_literal(next, String(literal.drop { $0 == ":" || $0 == " " || $0 == "—" }))
                }
                var definition = ""
                var inner = cmark_node_first_child(item)
                while let node = inner {
                    definition += Cmark.html(node)
                    inner = cmark_node_next(node)
                }
                definition = definition.trimmingWhitespace()
                if definition.hasPrefix("<p>"), definition.hasSuffix("</p>"), definition.components(separatedBy: "<p>").count == 2 {
                    definition = String(definition.dropFirst(3).dropLast(4))
                }
                html += "<dt id=\"\(anchor)\">\(termHTML)<a class=\"anchor\" href=\"#\(anchor)\" aria-label=\"Link to this term\">#</a></dt>\n"
                html += "<dd>\(definition)</dd>\n"
            }
            html += "</dl>"
            Cmark.replace(list, with: Cmark.htmlBlock(html))
        }

        /// A figure block's title: what search finds of it (not its data).
        func figureTitle(_ node: OpaquePointer) -> String? {
            guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { return nil }
            let key = BlockKey(chapter: page.chapter.path, line: Int(cmark_node_get_start_line(node)))
            return renderer.index.blocks[key]?.attributes.figure.map { "Figure: \($0.title)" }
        }

        /// Renders `node` and what it contains, replacing it where needed.
        mutating func process(_ node: OpaquePointer) {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HEADING {
                heading(node)
            } else if type == CMARK_NODE_CODE_BLOCK {
                codeBlock(node)
            } else if type == CMARK_NODE_PARAGRAPH {
                if table(node) { return }
                rewriteInlines(node)
                if exerciseLevel != nil { splitHints(node) }
            } else if [CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE].contains(type) {
                var child = cmark_node_first_child(node)
                while let inner = child {
                    let next = cmark_node_next(inner)
                    process(inner)
                    child = next
                }
                if type == CMARK_NODE_LIST, page.isAppendix { definitionList(node) }
            }
        }

        mutating func heading(_ node: OpaquePointer) {
            let level = Int(cmark_node_get_heading_level(node))
            rewriteInlines(node)
            var inner = Cmark.html(node).trimmingWhitespace()
            inner = String(inner.dropFirst(4).dropLast(5))  // <hN> ... </hN>
            let text = Cmark.plainText(node).trimmingWhitespace()
            if level == 1 {
                let title = ChapterPage.stripNumber(text)
                if title != text, let dot = inner.range(of: ". ") { inner = String(inner[dot.upperBound...]) }
                let anchor = anchors.unique(HTML.slug(title))
                sectionAnchor = ""
                sectionTitle = page.title
                var html = "<h1 id=\"\(anchor)\"><span class=\"chapter-number\">\(page.numberLabel)</span> \(inner)</h1>"
                html += chapterFiles()
                Cmark.replace(node, with: Cmark.htmlBlock(html))
                return
            }
            let anchor = anchors.unique(HTML.slug(text))
            finishSection()
            sectionTitle = text
            sectionAnchor = anchor
            if level <= 3 { outline.append(.init(level: level, title: text, anchor: anchor)) }
            var html = ""
            if Self.isExerciseTitle(text) {
                html += "<section class=\"exercises\" aria-labelledby=\"\(anchor)\">\n"
                exerciseLevel = level
            }
            html += "<h\(level) id=\"\(anchor)\">\(inner)<a class=\"anchor\" href=\"#\(anchor)\" aria-label=\"Link to this section\">#</a></h\(level)>"
            Cmark.replace(node, with: Cmark.htmlBlock(html))
        }

        static func isExerciseTitle(_ text: String) -> Bool {
            let word = text.lowercased().trimmingWhitespace()
            return word == "exercise" || word == "exercises" || word.hasPrefix("exercises:") || word.hasPrefix("exercise:")
        }

        /// "This chapter creates asm/link.ld and changes asm/entry32.S."
        func chapterFiles() -> String {
            let (created, changed) = renderer.index.fileChanges(in: page.chapter.path)
            guard !created.isEmpty || !changed.isEmpty else { return "" }
            func links(_ files: [String]) -> String {
                files.map { "<a href=\"\(TangledFileView.pageName(for: $0))\"><code>\(HTML.escape($0))</code></a>" }
                    .joined(separator: ", ")
            }
            var parts: [String] = []
            if !created.isEmpty { parts.append("creates \(links(created))") }
            if !changed.isEmpty { parts.append("changes \(links(changed))") }
            let diff = renderer.changed.map { $0.contains(page.chapter.path) ? ChangesView.link : "" } ?? ChapterRenderer.changesLinkPlaceholder
            return "\n<p class=\"chapter-files\">This chapter \(parts.joined(separator: " and ")).\(diff)</p>"
        }

        mutating func codeBlock(_ node: OpaquePointer) {
            let line = Int(cmark_node_get_start_line(node))
            let key = BlockKey(chapter: page.chapter.path, line: line)
            let html: String
            if let figure = renderer.figures[key] {
                html = figure
            } else if let block = renderer.index.blocks[key], let highlighted = renderer.highlighted[key],
               let id = block.attributes.exerciseID {
                let view = SolutionView(code: code)
                let body = "<pre class=\"code\"><code>\(code.codeHTML(highlighted, key: block.key, chapterNumber: page.chapter.number))</code></pre>"
                html = view.checkerHTML(id: id, chapterNumber: page.chapter.number, body: body)
                    + (renderer.solutions[id].map { view.solutionHTML($0, chapterNumber: page.chapter.number) } ?? "")
            } else if let block = renderer.index.blocks[key], let highlighted = renderer.highlighted[key] {
                html = code.blockHTML(block, code: highlighted, chapterNumber: page.chapter.number)
            } else {
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                html = "<div class=\"code-block illustration\"><pre class=\"code\"><code>\(HTML.escape(literal))</code></pre></div>\n"
            }
            Cmark.replace(node, with: Cmark.htmlBlock(html))
        }

        /// A GitHub-style pipe table (libcmark alone reads it as a
        /// paragraph): header row, delimiter row, body rows.
        mutating func table(_ node: OpaquePointer) -> Bool {
            let start = Int(cmark_node_get_start_line(node))
            let end = Int(cmark_node_get_end_line(node))
            let column = Int(cmark_node_get_start_column(node))
            guard end > start, start >= 1, end <= sourceLines.count else { return false }
            let lines = sourceLines[(start - 1)..<end].map { String($0.dropFirst(max(0, column - 1))) }
            guard let table = PipeTable(lines: lines) else { return false }
            Cmark.replace(node, with: Cmark.htmlBlock(rewriteChapterLinks(table.html)))
            return true
        }

        /// `href="03-long-mode.md#x"` in rendered HTML (a table's cells)
        /// pointing to the chapter's page, as `rewriteInlines` does for prose.
        func rewriteChapterLinks(_ html: String) -> String {
            ChapterPage.rewritingLinks(in: html, among: renderer.pages + renderer.appendices)
        }

        /// Links inline code that names a symbol of the book to its
        /// definition, chapter links `NN-slug.md` to their pages, and
        /// shows the chapter's pictures.
        mutating func rewriteInlines(_ node: OpaquePointer) {
            var codes: [OpaquePointer] = []
            var links: [OpaquePointer] = []
            var pictures: [OpaquePointer] = []
            Cmark.walk(node) { inner in
                let type = cmark_node_get_type(inner)
                if type == CMARK_NODE_CODE { codes.append(inner) }
                if type == CMARK_NODE_LINK { links.append(inner) }
                if type == CMARK_NODE_IMAGE { pictures.append(inner) }
            }
            for link in links {
                guard let url = cmark_node_get_url(link).map({ String(cString: $0) }) else { continue }
                if let rewritten = chapterLink(url) { cmark_node_set_url(link, rewritten) }
            }
            for picture in pictures { image(picture) }
            guard cmark_node_get_type(node) != CMARK_NODE_HEADING else { return }
            for codeNode in codes {
                guard let literal = cmark_node_get_literal(codeNode).map({ String(cString: $0) }),
                      let definition = renderer.symbols[literal],
                      !Cmark.isInsideLink(codeNode)
                else { continue }
                let html = "<a class=\"sym code-link\" href=\"\(definition.href)\"><code>\(HTML.escape(literal))</code></a>"
                Cmark.replace(codeNode, with: Cmark.node(CMARK_NODE_HTML_INLINE, literal: html))
            }
        }

        /// An image node becomes an `<img>` of a picture in chapters/images/,
        /// or an error at the `!` that starts it.
        mutating func image(_ node: OpaquePointer) {
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            switch ChapterImage.load(url, chaptersFolder: renderer.chaptersFolder) {
            case .success(let image):
                images.append(image)
                let title = cmark_node_get_title(node).map { String(cString: $0) } ?? ""
                let html = image.html(alt: Cmark.plainText(node).collapsingWhitespace(), title: title)
                Cmark.replace(node, with: Cmark.node(CMARK_NODE_HTML_INLINE, literal: html))
            case .failure(var problem):
                problem.location = SourceLocation(
                    file: page.chapter.path, line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
                imageProblems.append(problem)
            }
        }

        func chapterLink(_ url: String) -> String? {
            ChapterPage.link(url, among: renderer.pages + renderer.appendices)
        }

        /// In exercises, `*Hint:*` or `*Solution:*` starting a line opens
        /// a `<details>` holding the rest of the paragraph.
        func splitHints(_ paragraph: OpaquePointer) {
            var child = cmark_node_first_child(paragraph)
            while let node = child {
                let next = cmark_node_next(node)
                defer { child = next }
                let type = cmark_node_get_type(node)
                guard type == CMARK_NODE_EMPH || type == CMARK_NODE_STRONG else { continue }
                let label = Cmark.plainText(node).trimmingWhitespace()
                guard let kind = Self.hintKind(label) else { continue }
                let previous = cmark_node_previous(node)
                if let previous {
                    let previousType = cmark_node_get_type(previous)
                    guard previousType == CMARK_NODE_SOFTBREAK || previousType == CMARK_NODE_LINEBREAK else { continue }
                }
                let rest = cmark_node_new(CMARK_NODE_PARAGRAPH)!
                var moving = next
                while let inner = moving {
                    let following = cmark_node_next(inner)
                    cmark_node_unlink(inner)
                    cmark_node_append_child(rest, inner)
                    moving = following
                }
                if let first = cmark_node_first_child(rest), cmark_node_get_type(first) == CMARK_NODE_TEXT,
                   let literal = cmark_node_get_literal(first).map({ String(cString: $0) }) {
                    cmark_node_set_literal(first, String(literal.drop { $0 == " " }))
                }
                if let previous { cmark_node_unlink(previous); cmark_node_free(previous) }
                cmark_node_unlink(node)
                cmark_node_free(node)
                let open = Cmark.htmlBlock("<details class=\"\(kind.lowercased())\"><summary>\(kind)</summary>")
                let close = Cmark.htmlBlock("</details>")
                cmark_node_insert_after(paragraph, open)
                cmark_node_insert_after(open, rest)
                cmark_node_insert_after(rest, close)
                if cmark_node_first_child(paragraph) == nil {
                    cmark_node_unlink(paragraph)
                    cmark_node_free(paragraph)
                }
                splitHints(rest)
                return
            }
        }

        static func hintKind(_ label: String) -> String? {
            var word = label.lowercased()
            while word.hasSuffix(":") || word.hasSuffix(".") { word.removeLast() }
            switch word {
            case "hint", "hints": return "Hint"
            case "solution", "answer": return "Solution"
            default: return nil
            }
        }
    }
}

/// Small wrappers over libcmark's node API.
enum Cmark {
    static func node(_ type: cmark_node_type, literal: String) -> OpaquePointer {
        let node = cmark_node_new(type)!
        cmark_node_set_literal(node, literal)
        return node
    }

    static func htmlBlock(_ html: String) -> OpaquePointer { node(CMARK_NODE_HTML_BLOCK, literal: html) }

    static func replace(_ old: OpaquePointer, with new: OpaquePointer) {
        cmark_node_replace(old, new)
        cmark_node_free(old)
    }

    static func html(_ node: OpaquePointer) -> String {
        guard let pointer = cmark_render_html(node, ChapterRenderer.renderOptions) else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Calls `body` for `node` and every node inside it, in document order.
    static func walk(_ node: OpaquePointer, _ body: (OpaquePointer) -> Void) {
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let inner = cmark_iter_get_node(iterator) { body(inner) }
        }
    }

    static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        walk(node) { inner in
            let type = cmark_node_get_type(inner)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK {
                text += cmark_node_get_literal(inner).map { String(cString: $0) } ?? ""
                if type == CMARK_NODE_CODE_BLOCK { text += " " }
            } else if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
                text += HTML.plainText(cmark_node_get_literal(inner).map { String(cString: $0) } ?? "")
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK || type == CMARK_NODE_PARAGRAPH {
                text += " "
            }
        }
        return text
    }

    static func isInsideLink(_ node: OpaquePointer) -> Bool {
        var parent = cmark_node_parent(node)
        while let current = parent {
            if cmark_node_get_type(current) == CMARK_NODE_LINK { return true }
            parent = cmark_node_parent(current)
        }
        return false
    }

    /// Inline Markdown (a table cell) as HTML without the paragraph.
    static func inlineHTML(_ markdown: String) -> String {
        guard let document = markdown.withCString({ cmark_parse_document($0, markdown.utf8.count, MarkdownParser.options) }) else {
            return HTML.escape(markdown)
        }
        defer { cmark_node_free(document) }
        var html = html(document).trimmingWhitespace()
        if html.hasPrefix("<p>"), html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return html
    }
}

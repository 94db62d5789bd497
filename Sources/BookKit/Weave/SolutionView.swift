import CCmark

/// An exercise's checker block and its reference solution, as HTML: the
/// checker like a transcript, the solution in a collapsed `<details>`
/// whose code blocks are highlighted and linked like the chapter's.
struct SolutionView {
    let code: CodeRenderer

    /// The checker block of exercise `id` in chapter `chapterNumber`.
    func checkerHTML(id: String, chapterNumber: Int, body: String) -> String {
        let command = "book exercise check \(chapterNumber) \(id)"
        return "<figure class=\"code-block output checker\" id=\"exercise-\(HTML.escape(id))\">"
            + "<figcaption>Checker of exercise \(HTML.escape(id)): <code>\(HTML.escape(command))</code></figcaption>"
            + body + "</figure>\n"
    }

    /// The reference solution, collapsed.
    func solutionHTML(_ solution: ExerciseSolution, chapterNumber: Int) -> String {
        let text = solution.text
        guard let document = text.withCString({ cmark_parse_document($0, text.utf8.count, MarkdownParser.options) }) else {
            return ""
        }
        defer { cmark_node_free(document) }
        var blocks: [OpaquePointer] = []
        Cmark.walk(document) { node in
            if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK { blocks.append(node) }
        }
        for node in blocks {
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            var lines = (cmark_node_get_literal(node).map { String(cString: $0) } ?? "").components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            Cmark.replace(node, with: Cmark.htmlBlock(blockHTML(info: info, lines: lines, chapterNumber: chapterNumber)))
        }
        return "<details class=\"solution\"><summary>Solution of exercise \(HTML.escape(solution.id))</summary>\n"
            + Cmark.html(document)
            + "<p class=\"solution-source\">From <code>\(HTML.escape(solution.path))</code>; "
            + "<code>book exercise start \(chapterNumber) --solution \(HTML.escape(solution.id))</code> applies it to a workspace.</p>\n"
            + "</details>\n"
    }

    /// One code block of a solution: what it changes, then the code.
    func blockHTML(info: String, lines: [String], chapterNumber: Int) -> String {
        var language: String?
        var target = ""
        var mode = "defines"
        for (index, token) in ChunkAttributes.tokenize(info).enumerated() {
            guard let token = token.value else { continue }
            let (key, value) = token.keyValue
            switch (key, value) {
            case ("file", let path?): target = "<code>\(HTML.escape(path))</code>"
            case ("chunk", let name?): target = "⟨\(HTML.escape(name))⟩"
            case ("append", nil): mode = "appends to"
            case ("replace", nil): mode = "replaces"
            case (_, nil) where index == 0: language = key
            default: break
            }
        }
        let highlighted = HighlightedCode(lines: lines, references: Reference.all(in: lines), language: CodeLanguage(info: language))
        let body = "<pre class=\"code lang-\(highlighted.language.rawValue)\"><code>"
            + code.codeHTML(highlighted, key: nil, chapterNumber: chapterNumber) + "</code></pre>"
        guard !target.isEmpty else {
            return "<div class=\"code-block illustration\">\(body)</div>\n"
        }
        return "<figure class=\"code-block chunk solution-chunk\"><figcaption class=\"chunk-head\">"
            + "<span class=\"chunk-name\">\(mode) \(target)</span></figcaption>\(body)</figure>\n"
    }
}

/// A chapter as a page of the site.
struct ChapterPage {
    var chapter: Chapter
    /// `01-the-machine-at-hand-off.html`
    var fileName: String
    /// The chapter's first `#` heading without a leading "N. ".
    var title: String
    /// A reference page after the chapters (glossary, references): no
    /// number, no code.
    var isAppendix = false

    init(chapter: Chapter) {
        self.chapter = chapter
        let name = chapter.path.split(separator: "/").last.map(String.init) ?? chapter.path
        fileName = (name.hasSuffix(".md") ? String(name.dropLast(3)) : name) + ".html"
        title = Self.title(of: chapter) ?? String(fileName.dropLast(5))
    }

    /// An appendix as a page; its `chapter` carries the text and path only.
    init(appendix: Appendix, position: Int) {
        self.init(chapter: Chapter(path: appendix.path, number: 1000 + position, text: appendix.text))
        isAppendix = true
    }

    /// "Chapter 1" (chapter 0 is the introduction), or "Appendix".
    var numberLabel: String { isAppendix ? "Appendix" : "Chapter \(chapter.number)" }

    static func title(of chapter: Chapter) -> String? {
        var inFence = false
        for line in chapter.text.lines() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            guard !inFence, line.hasPrefix("# ") else { continue }
            return stripNumber(String(line.dropFirst(2)).trimmingWhitespace())
        }
        return nil
    }

    /// "0. How to read" → "How to read".
    static func stripNumber(_ title: String) -> String {
        let digits = title.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return title }
        let rest = title.dropFirst(digits.count)
        guard rest.hasPrefix(". ") else { return title }
        return String(rest.dropFirst(2))
    }
}

extension ChapterPage {
    /// The page a link to a chapter or appendix means (`03-long-mode.md#x`,
    /// `../appendices/glossary.md`): its file name and fragment; nil for a
    /// link to anything else.
    static func link(_ url: String, among pages: [ChapterPage]) -> String? {
        guard !url.contains("://") else { return nil }
        var path = Substring(url)
        var fragment = ""
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[hash...])
            path = path[..<hash]
        }
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        guard name.hasSuffix(".md"), let target = pages.first(where: { $0.chapter.path.hasSuffix("/" + name) }) else { return nil }
        return target.fileName + fragment
    }

    /// Rendered HTML whose `href="….md…"` links point to the pages instead.
    static func rewritingLinks(in html: String, among pages: [ChapterPage]) -> String {
        guard html.contains(".md") else { return html }
        var result = ""
        var rest = html[...]
        while let start = rest.range(of: "href=\"") {
            result += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let url = String(rest[..<end])
            result += link(url.replacingOccurrences(of: "&amp;", with: "&"), among: pages).map(HTML.escape) ?? url
            rest = rest[end...]
        }
        return result + rest
    }
}

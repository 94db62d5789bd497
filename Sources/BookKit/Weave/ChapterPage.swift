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

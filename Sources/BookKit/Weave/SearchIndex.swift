/// The offline full-text search: one entry per section and per chunk,
/// written as `search-index.js`, a script that assigns a global (pages
/// opened from `file://` cannot fetch JSON).
struct SearchIndex {
    struct Entry {
        /// The section heading or the chunk name.
        var title: String
        /// The chapter's title.
        var chapter: String
        /// Relative to the site's root: `01-x.html#anchor`.
        var url: String
        var text: String
        var isCode = false
    }

    var entries: [Entry] = []

    var script: String {
        var lines: [String] = []
        for entry in entries {
            var fields = [
                "t:\(HTML.jsonString(entry.title))", "c:\(HTML.jsonString(entry.chapter))",
                "u:\(HTML.jsonString(entry.url))", "x:\(HTML.jsonString(entry.text))",
            ]
            if entry.isCode { fields.append("k:1") }
            lines.append("{\(fields.joined(separator: ","))}")
        }
        return "window.BOOK_SEARCH = [\n" + lines.joined(separator: ",\n") + "\n];\n"
    }
}

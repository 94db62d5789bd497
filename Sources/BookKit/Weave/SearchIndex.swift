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
        // Entries are written in batches on every core, then joined.
        let batches = stride(from: 0, to: entries.count, by: 256).map { $0..<min($0 + 256, entries.count) }
        let parts = Parallel.map(batches) { range in
            let html = HTMLBytes(capacity: 1 << 16)
            for position in range {
                let entry = entries[position]
                if position > 0 { html.append(",\n") }
                html.append("{t:")
                html.appendJSONString(entry.title)
                html.append(",c:")
                html.appendJSONString(entry.chapter)
                html.append(",u:")
                html.appendJSONString(entry.url)
                html.append(",x:")
                html.appendJSONString(entry.text)
                if entry.isCode { html.append(",k:1") }
                html.append("}")
            }
            return html.string
        }
        return "window.BOOK_SEARCH = [\n" + parts.joined() + "\n];\n"
    }
}

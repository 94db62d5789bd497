/// The frame around every page: head, top bar with search and theme
/// switch, the table of contents in the sidebar, previous/next links.
struct PageTemplate {
    static let bookTitle = "Booting x86-64 in Swift"

    let pages: [ChapterPage]
    /// The outline of each chapter page, by file name.
    let outlines: [String: [RenderedChapter.OutlineEntry]]
    let files: [String]
    /// The glossary and the references, listed after the chapters.
    let appendices: [ChapterPage]
    /// The sidebar's entries as the pages at the site's root show them
    /// when they are not the current page: chapters, appendices, files.
    private let rootEntries: (chapters: [String], appendices: [String], files: [String])

    init(pages: [ChapterPage], outlines: [String: [RenderedChapter.OutlineEntry]], files: [String], appendices: [ChapterPage] = []) {
        self.pages = pages
        self.outlines = outlines
        self.files = files
        self.appendices = appendices
        rootEntries = (
            pages.map { Self.chapterEntry($0, prefix: "", isCurrent: false, outline: nil) },
            appendices.map { Self.appendixEntry($0, prefix: "", isCurrent: false) },
            files.map { Self.fileEntry($0, prefix: "") })
    }

    struct Link {
        var href: String
        var title: String
    }

    /// A complete HTML document. `path` is the page's path inside the site,
    /// `current` the chapter page it shows, if any.
    func page(title: String, path: String, current: String?, content: String, previous: Link?, next: Link?) -> String {
        page(title: title, path: path, current: current, content: [content], previous: previous, next: next)
    }

    /// The same with the content in parts (put together only once, in
    /// the page).
    func page(title: String, path: String, current: String?, content: [String], previous: Link?, next: Link?) -> String {
        let prefix = String(repeating: "../", count: path.split(separator: "/").count - 1)
        let fullTitle = title == Self.bookTitle ? title : "\(title) · \(Self.bookTitle)"
        var head = """
            <!doctype html>
            <html lang="en" data-root="\(prefix)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(HTML.escape(fullTitle))</title>
            <link rel="stylesheet" href="\(prefix)assets/book.css">

            """
        if let previous { head += "<link rel=\"prev\" href=\"\(prefix)\(previous.href)\">\n" }
        if let next { head += "<link rel=\"next\" href=\"\(prefix)\(next.href)\">\n" }
        head += """
            <script>document.documentElement.classList.add("js");try{var t=localStorage.getItem("book-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}</script>
            </head>
            <body>
            <a class="skip" href="#content">Skip to the text</a>
            <header class="topbar">
            <a class="menu" href="#toc" aria-label="Table of contents" aria-controls="toc">\(Self.menuIcon)</a>
            <a class="book-title" href="\(prefix)index.html">\(Self.bookTitle)</a>
            <div class="search js-only" role="search">
            <input id="search" type="search" placeholder="Search" aria-label="Search the book" autocomplete="off" spellcheck="false"><kbd class="search-key">/</kbd>
            <div id="search-results" class="search-results" hidden></div>
            </div>
            <button class="theme js-only" type="button" aria-label="Switch between light and dark theme" title="Theme: follows the system">\(Self.themeIcon)</button>
            </header>
            <div class="layout">

            """
        let sidebar = sidebar(prefix: prefix, current: current)
        let pager = pager(prefix: prefix, previous: previous, next: next)
        let scripts = """
            <script src="\(prefix)search-index.js"></script>
            <script src="\(prefix)assets/book.js"></script>
            </body>
            </html>

            """
        var html = ""
        html.reserveCapacity(head.utf8.count + sidebar.utf8.count + content.reduce(0) { $0 + $1.utf8.count } + pager.utf8.count + 256)
        html += head
        html += sidebar
        html += "<main id=\"content\">\n"
        for part in content { html += part }
        html += "\n"
        html += pager
        html += "</main>\n</div>\n"
        html += scripts
        return html
    }

    func sidebar(prefix: String, current: String?) -> String {
        var html = "<nav class=\"sidebar\" id=\"toc\" aria-label=\"Table of contents\">\n"
        html += "<div class=\"toc-head\"><a href=\"\(prefix)index.html\">Contents</a><a class=\"close\" href=\"#\" aria-label=\"Close the table of contents\">×</a></div>\n"
        html += "<ol class=\"toc-chapters\">\n"
        let atRoot = prefix.isEmpty
        for (position, page) in pages.enumerated() {
            let isCurrent = page.fileName == current
            html += atRoot && !isCurrent
                ? rootEntries.chapters[position]
                : Self.chapterEntry(page, prefix: prefix, isCurrent: isCurrent, outline: isCurrent ? outlines[page.fileName] : nil)
        }
        html += "</ol>\n"
        if !appendices.isEmpty {
            html += "<p class=\"toc-section\">Reference</p>\n<ul class=\"toc-appendices\">\n"
            for (position, page) in appendices.enumerated() {
                let isCurrent = page.fileName == current
                html += atRoot && !isCurrent ? rootEntries.appendices[position] : Self.appendixEntry(page, prefix: prefix, isCurrent: isCurrent)
            }
            html += "</ul>\n"
        }
        if !files.isEmpty {
            html += "<p class=\"toc-section\">The tangled program</p>\n<ul class=\"toc-files\">\n"
            for (position, file) in files.enumerated() {
                html += atRoot ? rootEntries.files[position] : Self.fileEntry(file, prefix: prefix)
            }
            html += "</ul>\n"
        }
        return html + "</nav>\n"
    }

    private static func chapterEntry(_ page: ChapterPage, prefix: String, isCurrent: Bool, outline: [RenderedChapter.OutlineEntry]?) -> String {
        var html = "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(prefix)\(page.fileName)\"\(isCurrent ? " aria-current=\"page\"" : "")>"
        html += "<span class=\"num\">\(page.chapter.number)</span><span class=\"toc-title\">\(HTML.escape(page.title))</span></a>"
        if let outline, !outline.isEmpty {
            html += "\n<ol class=\"outline\">"
            for entry in outline {
                html += "<li class=\"level\(entry.level)\"><a href=\"#\(entry.anchor)\">\(HTML.escape(entry.title))</a></li>"
            }
            html += "</ol>"
        }
        return html + "</li>\n"
    }

    private static func appendixEntry(_ page: ChapterPage, prefix: String, isCurrent: Bool) -> String {
        "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(prefix)\(page.fileName)\"\(isCurrent ? " aria-current=\"page\"" : "")>\(HTML.escape(page.title))</a></li>\n"
    }

    private static func fileEntry(_ file: String, prefix: String) -> String {
        "<li><a href=\"\(prefix)\(TangledFileView.pageName(for: file))\"><code>\(HTML.escape(file))</code></a></li>\n"
    }

    func pager(prefix: String, previous: Link?, next: Link?) -> String {
        guard previous != nil || next != nil else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"Previous and next chapter\">"
        if let previous {
            html += "<a class=\"prev\" href=\"\(prefix)\(previous.href)\" rel=\"prev\"><span class=\"dir\">← Previous</span><span class=\"pager-title\">\(HTML.escape(previous.title))</span></a>"
        } else {
            html += "<span></span>"
        }
        if let next {
            html += "<a class=\"next\" href=\"\(prefix)\(next.href)\" rel=\"next\"><span class=\"dir\">Next →</span><span class=\"pager-title\">\(HTML.escape(next.title))</span></a>"
        }
        return html + "</nav>\n"
    }

    static let menuIcon = """
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
        """
    static let themeIcon = """
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor"/></svg>
        """
}

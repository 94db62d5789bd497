import CCmark
import Foundation

/// `index.html`: what the book is, its chapters with what each builds,
/// the tangled program, and how to read the code.
struct LandingPage {
    let book: Book
    let pages: [ChapterPage]
    let index: ChunkIndex
    let files: [String]
    let fileChapters: [String: [String]]
    var appendices: [ChapterPage] = []

    var html: String {
        let readme = (try? String(contentsOf: book.root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        var html = "<article class=\"landing\">\n<header class=\"hero\">\n<p class=\"kicker\">A literate program</p>\n"
        html += "<h1>\(PageTemplate.bookTitle)</h1>\n"
        html += "<div class=\"lede\">\(introduction(readme))</div>\n"
        if let first = pages.first {
            html += "<p class=\"hero-actions\"><a class=\"button\" href=\"\(first.fileName)\">Start reading →</a>"
            let reference = appendices.isEmpty ? "" : "<a href=\"#reference\">Reference</a> · "
            html += "<a href=\"#chapters\">Chapters</a> · \(reference)<a href=\"#program\">The program</a> · <a href=\"#reading-the-code\">Reading the code</a></p>\n"
        }
        html += "</header>\n"

        html += "<h2 id=\"chapters\">Chapters</h2>\n<ol class=\"chapter-list\">\n"
        for page in pages {
            html += "<li><span class=\"num\">\(page.chapter.number)</span>"
            html += "<a class=\"card-title\" href=\"\(page.fileName)\">\(HTML.escape(page.title))</a>"
            html += "<p class=\"card-summary\">\(summary(of: page, readme: readme))</p>"
            let (created, changed) = index.fileChanges(in: page.chapter.path)
            var builds: [String] = []
            if !created.isEmpty { builds.append("creates " + links(created)) }
            if !changed.isEmpty { builds.append("changes " + links(changed)) }
            if !builds.isEmpty { html += "<p class=\"card-files\">\(builds.joined(separator: " · "))</p>" }
            html += "</li>\n"
        }
        html += "</ol>\n"

        if !appendices.isEmpty {
            html += "<h2 id=\"reference\">Reference</h2>\n<ul class=\"file-list appendix-list\">\n"
            for page in appendices {
                html += "<li><a href=\"\(page.fileName)\">\(HTML.escape(page.title))</a>"
                html += "<span class=\"from\">\(summary(of: page, readme: ""))</span></li>\n"
            }
            html += "</ul>\n"
        }

        if !files.isEmpty {
            html += "<h2 id=\"program\">The program</h2>\n"
            html += "<p>Every line of these files stands in a chapter; <code>book tangle</code> collects them. "
            html += "Each page shows a whole file with every piece linked back to the chunk it comes from.</p>\n<ul class=\"file-list\">\n"
            for file in files {
                let from = (fileChapters[file] ?? []).compactMap { path in pages.first { $0.chapter.path == path } }
                    .map { "<a href=\"\($0.fileName)\">\($0.chapter.number)</a>" }
                html += "<li><a href=\"\(TangledFileView.pageName(for: file))\"><code>\(HTML.escape(file))</code></a>"
                html += "<span class=\"from\">from chapter\(from.count == 1 ? "" : "s") \(from.joined(separator: ", "))</span></li>\n"
            }
            html += "</ul>\n"
        }

        html += """
            <h2 id="reading-the-code">Reading the code</h2>
            <p>Code in this book comes in <em>chunks</em>. Each carries a label, the chapter number and a letter, \
            so that other chunks can refer to it:</p>
            <dl class="legend">
            <dt>asm/entry32.S ≡</dt><dd>the beginning of a file</dd>
            <dt>⟨name 1c⟩ ≡</dt><dd>defines the chunk <em>name</em>; it is chunk c of chapter 1</dd>
            <dt>⟨name⟩ +≡</dt><dd>appends to what earlier chunks of that name said</dd>
            <dt>⟨name⟩ :=</dt><dd>replaces it: a later chapter changes the code</dd>
            <dt>⟨name 1c⟩</dt><dd>inside code: the chunk is inserted here; follow the link to read it</dd>
            </dl>
            <p>Below each chunk, a line says where else its code is defined, appended or replaced, and which chunks use it. \
            Names the code defines (labels, macros, symbols, types and functions) link to their definition. \
            Press <kbd>/</kbd> to search and <kbd>←</kbd> <kbd>→</kbd> to turn the page.</p>
            </article>
            """
        return html
    }

    func links(_ files: [String]) -> String {
        files.map { "<a href=\"\(TangledFileView.pageName(for: $0))\"><code>\(HTML.escape($0))</code></a>" }.joined(separator: ", ")
    }

    /// The README's text between its title and its first section, or a
    /// sentence of our own.
    func introduction(_ readme: String) -> String {
        var lines: [Substring] = []
        var started = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# ") { started = true; continue }
            if line.hasPrefix("## ") { break }
            if started { lines.append(line) }
        }
        let text = lines.joined(separator: "\n").trimmingWhitespace()
        guard !text.isEmpty else {
            return "<p>A bootloader for x86-64, written in Embedded Swift and GNU assembly, explained line by line.</p>"
        }
        return markdownHTML(text)
    }

    /// The README's "what it adds" for a chapter, or the chapter's first
    /// sentence.
    func summary(of page: ChapterPage, readme: String) -> String {
        let name = page.chapter.path
        for line in readme.split(separator: "\n") where line.contains("](\(name))") {
            if let last = PipeTable.cells(String(line)).last, !last.isEmpty {
                return Cmark.inlineHTML(last)
            }
        }
        var paragraph: [Substring] = []
        var afterTitle = false
        for line in page.chapter.text.lines() {
            if line.hasPrefix("# ") { afterTitle = true; continue }
            guard afterTitle else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if paragraph.isEmpty { continue } else { break }
            }
            paragraph.append(line)
        }
        let text = paragraph.joined(separator: " ")
        let sentence = text.range(of: ". ").map { String(text[..<$0.lowerBound]) + "." } ?? text
        return pageLinks(Cmark.inlineHTML(sentence))
    }

    /// A summary's links to chapters and appendices (`href="x.md#y"`,
    /// as the Markdown writes them) pointing to their pages.
    func pageLinks(_ html: String) -> String {
        ChapterPage.rewritingLinks(in: html, among: pages + appendices)
    }

    func markdownHTML(_ markdown: String) -> String {
        guard let document = markdown.withCString({ cmark_parse_document($0, markdown.utf8.count, MarkdownParser.options) }) else {
            return HTML.escape(markdown)
        }
        defer { cmark_node_free(document) }
        return Cmark.html(document)
    }
}

@testable import BookKit
import Foundation
import Testing

/// The glossary and the references: Markdown pages after the chapters
/// (`appendices/*.md`), woven as `site/glossary.html` and `site/references.html`.
@Suite struct AppendixTests {
    static func book() -> Book {
        var book = makeBook([
            ("01-a.md", "# First\n\n## Load a GDT\n\nText.\n"),
            ("02-b.md", "# Second\n\nSee the [glossary](../appendices/glossary.md#term-gdt).\n"),
        ])
        book.appendices = [
            Appendix(path: "appendices/glossary.md", text: """
                # Glossary

                - **GDT**: the global descriptor table; [chapter 1](01-a.md#load-a-gdt).
                - **W^X** — *write xor execute*.
                """),
            Appendix(path: "appendices/references.md", text: """
                # References

                | section | used for |
                | --- | --- |
                | 3A §3.4.5 | [chapter 1](01-a.md#load-a-gdt) |
                """),
        ]
        return book
    }

    static func pages() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try book().weave().map { (String($0.path.dropFirst("site/".count)), $0.body) })
    }

    @Test func aListOfTermsBecomesADefinitionListWithAnchors() throws {
        let glossary = try #require(try Self.pages()["glossary.html"])
        #expect(glossary.contains(##"<h1 id="glossary"><span class="chapter-number">Appendix</span> Glossary</h1>"##))
        #expect(glossary.contains(##"<dl class="glossary">"##))
        #expect(glossary.contains(##"<dt id="term-gdt">GDT<a class="anchor" href="#term-gdt" aria-label="Link to this term">#</a></dt>"##))
        #expect(glossary.contains(##"<dd>the global descriptor table; <a href="01-a.html#load-a-gdt">chapter 1</a>.</dd>"##))
        #expect(glossary.contains(##"<dt id="term-w-x">W^X"##))
        #expect(glossary.contains(##"<dd><em>write xor execute</em>.</dd>"##))
    }

    @Test func chapterLinksInTablesAndToAppendicesAreRewritten() throws {
        let pages = try Self.pages()
        let references = try #require(pages["references.html"])
        #expect(references.contains(##"<td><a href="01-a.html#load-a-gdt">chapter 1</a></td>"##))
        #expect(pages["02-b.html"]!.contains(##"<a href="glossary.html#term-gdt">glossary</a>"##))
    }

    @Test func appendicesFollowTheChaptersInTheSidebarLandingPageAndPager() throws {
        let pages = try Self.pages()
        let second = try #require(pages["02-b.html"])
        #expect(second.contains(##"<p class="toc-section">Reference</p>"##))
        #expect(second.contains(##"<li><a href="glossary.html">Glossary</a></li>"##))
        #expect(second.contains(##"<link rel="next" href="glossary.html">"##))
        let glossary = try #require(pages["glossary.html"])
        #expect(glossary.contains(##"<li class="current"><a href="glossary.html" aria-current="page">Glossary</a></li>"##))
        #expect(glossary.contains(##"<link rel="prev" href="02-b.html">"##))
        #expect(glossary.contains(##"<link rel="next" href="references.html">"##))
        let index = try #require(pages["index.html"])
        #expect(index.contains(##"<h2 id="reference">Reference</h2>"##))
        #expect(index.contains(##"<li><a href="references.html">References</a>"##))
        let files = try Self.book().weave()
        #expect(files.first { $0.path == "site/glossary.html" }?.chapters == ["appendices/glossary.md"])
    }

    @Test func theBookLoadsItsAppendicesInOrder() throws {
        let root = try temporaryFolder()
        for folder in ["chapters", "appendices"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "# A\n".write(to: root.appendingPathComponent("chapters/01-a.md"), atomically: true, encoding: .utf8)
        for name in ["references.md", "glossary.md", "colophon.md"] {
            try "# \(name)\n".write(to: root.appendingPathComponent("appendices/\(name)"), atomically: true, encoding: .utf8)
        }
        let book = try Book.load(root: root)
        #expect(book.appendices.map(\.path) == ["appendices/glossary.md", "appendices/references.md", "appendices/colophon.md"])
    }

    /// The landing page quotes an appendix's first sentence: its links to
    /// chapters and appendices point to their pages, not to Markdown files.
    @Test func theLandingPageRewritesLinksInAnAppendixSummary() throws {
        var book = Self.book()
        book.appendices.append(Appendix(path: "appendices/tool.md", text: """
            # The tool

            What [chapter 1](01-a.md#load-a-gdt) and the [glossary](glossary.md) leave out. More.
            """))
        let index = try #require(try book.weave().first { $0.path == "site/index.html" }?.body)
        #expect(index.contains(##"What <a href="01-a.html#load-a-gdt">chapter 1</a> and the <a href="glossary.html">glossary</a> leave out."##))
        #expect(!index.contains(".md\""), "\(index)")
    }

    /// `book weave` notices an edit to an appendix alone, as it does one to
    /// a chapter.
    @Test func weaveToDiskNoticesAnEditedAppendix() throws {
        let root = try temporaryFolder()
        for folder in ["chapters", "appendices"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "# A\n\nText.\n".write(to: root.appendingPathComponent("chapters/01-a.md"), atomically: true, encoding: .utf8)
        let glossary = root.appendingPathComponent("appendices/glossary.md")
        try "# Glossary\n\n- **GDT**: a table.\n".write(to: glossary, atomically: true, encoding: .utf8)
        _ = try Book.load(root: root).weaveToDisk()
        #expect(try Book.load(root: root).weaveToDisk().isEmpty)
        try "# Glossary\n\n- **GDT**: the global descriptor table.\n".write(to: glossary, atomically: true, encoding: .utf8)
        let changes = try Book.load(root: root).weaveToDisk()
        #expect(changes.contains(.update("site/glossary.html")), "\(changes)")
        let page = try String(contentsOf: root.appendingPathComponent("site/glossary.html"), encoding: .utf8)
        #expect(page.contains("the global descriptor table"))
    }

    /// Called by `WeaveRealBookTests.everyInternalLinkResolves`, which has
    /// already checked that every link of these pages resolves.
    static func checkRealBookAppendices(_ pages: [String: String]) throws {
        let glossary = try #require(pages["glossary.html"])
        let terms = glossary.components(separatedBy: "<dt id=\"term-").count - 1
        #expect(terms >= 40, "the glossary has \(terms) terms")
        // Every term links to the chapter section that explains it.
        for definition in glossary.components(separatedBy: "<dd>").dropFirst() {
            let text = definition.components(separatedBy: "</dd>")[0]
            #expect(text.range(of: #"href="\d\d-[a-z0-9-]+\.html#"#, options: .regularExpression) != nil, "no chapter link: \(text)")
        }
        let references = try #require(pages["references.html"])
        let chapterLinks = references.components(separatedBy: "href=\"").dropFirst()
            .filter { $0.range(of: #"^\d\d-[a-z0-9-]+\.html#"#, options: .regularExpression) != nil }
        #expect(chapterLinks.count >= 40, "references link \(chapterLinks.count) chapter sections")
        for (path, html) in pages where path.hasSuffix(".html") {
            #expect(!html.contains(".md#") && !html.contains(".md\""), "\(path) has a link to a Markdown file")
        }
    }
}

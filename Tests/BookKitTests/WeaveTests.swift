@testable import BookKit
import Foundation
import Testing

/// The woven pages of an in-memory book, by path (without `site/`).
func weave(_ chapters: [(String, String)]) throws -> [String: String] {
    let files = try makeBook(chapters).weave()
    return Dictionary(uniqueKeysWithValues: files.map { (String($0.path.dropFirst("site/".count)), $0.body) })
}

@Suite struct WeaveTests {
    static let twoChapters: [(String, String)] = [
        ("01-a.md", """
            # First steps

            ## Start

            \(fence)asm file=asm/a.S
            start:
                <<set up>>
                jmp start
            \(fence)

            \(fence)asm chunk="set up"
                cli
            \(fence)
            """),
        ("02-b.md", """
            # Second steps

            \(fence)asm chunk="set up" append
                cld
            \(fence)

            \(fence)asm chunk="set up" replace
                nop
            \(fence)
            """),
    ]

    @Test func everyChunkGetsAnAnchorAHeaderAndCrossReferences() throws {
        let site = try weave(Self.twoChapters)
        let first = try #require(site["01-a.html"])
        #expect(first.contains(##"<figure class="code-block chunk" id="file-asm-a-s">"##))
        #expect(first.contains(##"<figure class="code-block chunk" id="chunk-set-up">"##))
        #expect(first.contains(##"<a class="chunk-name" href="#chunk-set-up"><span class="label">1b</span> ⟨set up⟩</a> <span class="mode" title="defines">≡</span>"##))
        // The file chunk's <<set up>> links to the definition in its chapter.
        #expect(first.contains(##"    <a class="ref" data-ref="set up" href="01-a.html#chunk-set-up">⟨<span class="ref-name">set up</span> <span class="ref-label">1b</span>⟩</a>"##))
        // noweb-style footer: defined / appended / replaced, and used in.
        #expect(first.contains(##"Defined in <b class="here">1b</b>; appended in <a href="02-b.html#chunk-set-up">2a</a>; replaced in <a href="02-b.html#chunk-set-up-2">2b</a>."##))
        #expect(first.contains(##"Used in <a href="01-a.html#file-asm-a-s">asm/a.S <span class="label">1a</span></a>."##))
        // Which file the chunk goes to, and the whole-file view.
        #expect(first.contains(##"<a class="chunk-file" href="files/asm/a.S.html" title="goes into this file">→ asm/a.S</a>"##))
        #expect(first.contains(##"<a class="chunk-file" href="files/asm/a.S.html" title="the whole tangled file">whole file</a>"##))

        let second = try #require(site["02-b.html"])
        #expect(second.contains(##"<span class="mode" title="appends to">+≡</span>"##))
        #expect(second.contains(##"<span class="mode replace" title="replaces">:=</span>"##))
        #expect(second.contains(##"Defined in <a href="01-a.html#chunk-set-up">1b</a>; appended in <b class="here">2a</b>; replaced in <a href="02-b.html#chunk-set-up-2">2b</a>."##))
    }

    @Test func codeIsEscapedAndHighlighted() throws {
        let site = try weave([("01-a.md", """
            # A

            \(fence)swift file=Sources/A.swift
            struct Box { let s = "<b>" }
            func f(a: Int, b: Int) -> Bool { a < b && b > 0 } // a<b & c
            \(fence)
            """)])
        let page = try #require(site["01-a.html"])
        #expect(page.contains(##"<span class="k">struct</span> <span class="t def" id="sym-Box">Box</span>"##))
        #expect(page.contains(##"<span class="s">&quot;&lt;b&gt;&quot;</span>"##))
        #expect(page.contains(##"a <span class="p">&lt;</span> b <span class="p">&amp;&amp;</span> b <span class="p">&gt;</span> <span class="n">0</span>"##))
        #expect(page.contains(##"<span class="c">// a&lt;b &amp; c</span>"##))
        #expect(!page.contains("\"<b>\""))
    }

    @Test func identifiersLinkToTheirDefinitionsAcrossLanguages() throws {
        let site = try weave([
            ("01-a.md", """
                # A

                \(fence)asm file=asm/a.S
                #define PORT 0xE9
                .macro say code
                        mov $\\code, %al
                        outb %al, $PORT
                .endm
                        .global entry
                entry:
                        say 0x41
                        mov $__image_end, %eax
                1:      jmp 1b
                \(fence)
                """),
            ("02-b.md", """
                # B

                \(fence)ld file=asm/link.ld
                ENTRY(entry)
                SECTIONS {
                    . = 0x200000;
                    .boot.text : { KEEP(*(.boot.text)) }
                    __image_end = .;
                }
                \(fence)

                The entry is `entry`.
                """),
        ])
        let first = try #require(site["01-a.html"])
        #expect(first.contains(##"<span class="pp">#define</span> <span class="def" id="sym-PORT">PORT</span> <span class="n">0xE9</span>"##))
        #expect(first.contains(##"<span class="d">.macro</span> <span class="def" id="sym-say">say</span>"##))
        #expect(first.contains(##"<span class="v">\code</span>"##))
        #expect(first.contains(##"<span class="r">%al</span>"##))
        #expect(first.contains(##"<span class="p">$</span><a class="sym" href="01-a.html#sym-PORT">PORT</a>"##))
        #expect(first.contains(##"<span class="l def" id="sym-entry">entry</span>"##))
        #expect(first.contains(##"<a class="i sym" href="01-a.html#sym-say">say</a>"##))
        // A symbol the linker script defines, used in assembly.
        #expect(first.contains(##"<a class="sym" href="02-b.html#sym-__image_end">__image_end</a>"##))
        #expect(first.contains(##"<span class="ll">1</span><span class="p">:</span>"##))
        #expect(first.contains(##"<span class="i">jmp</span> <span class="ll">1b</span>"##))

        let second = try #require(site["02-b.html"])
        #expect(second.contains(##"<span class="k">ENTRY</span><span class="p">(</span><a class="sym" href="01-a.html#sym-entry">entry</a>"##))
        #expect(second.contains(##"<span class="def" id="sym-__image_end">__image_end</span>"##))
        #expect(second.contains(##"<span class="sec">.boot.text</span>"##))
        // Inline code in prose that names a symbol links too.
        #expect(second.contains(##"<a class="sym code-link" href="01-a.html#sym-entry"><code>entry</code></a>"##))
    }

    @Test func headingsGetStableUniqueAnchorsAndAnOutline() throws {
        let site = try weave([("01-a.md", """
            # 1. The title

            ## Run it

            ### Details & more

            ## Run it
            """)])
        let page = try #require(site["01-a.html"])
        #expect(page.contains(##"<h1 id="the-title"><span class="chapter-number">Chapter 1</span> The title</h1>"##))
        #expect(page.contains(##"<h2 id="run-it">Run it<a class="anchor" href="#run-it" aria-label="Link to this section">#</a></h2>"##))
        #expect(page.contains(##"<h3 id="details-more">Details &amp; more<a class="anchor""##))
        #expect(page.contains(##"<h2 id="run-it-2">"##))
        #expect(page.contains(##"<ol class="outline"><li class="level2"><a href="#run-it">Run it</a></li><li class="level3"><a href="#details-more">Details &amp; more</a></li><li class="level2"><a href="#run-it-2">Run it</a></li></ol>"##))
        #expect(page.contains("<title>The title · Booting x86-64 in Swift</title>"))
    }

    @Test func exercisesHintsAndTranscripts() throws {
        let site = try weave([("01-a.md", """
            # A

            \(fence)console transcript
            swiftboot: hello & goodbye
            \(fence)

            \(fence)console
            $ book run
            chapters/01-a.md:3:1: error: oops
            \(fence)

            ## Exercises

            1. **Break it.** Change a line.
               *Hint:* look at `grub-file`.
            2. Think.

               <details><summary>Solution</summary>

               It works.

               </details>

            ## After
            """)])
        let page = try #require(site["01-a.html"])
        #expect(page.contains(##"<figure class="code-block output"><figcaption>Output</figcaption><pre class="code lang-console"><code><span class="out">swiftboot: hello &amp; goodbye</span></code></pre></figure>"##))
        #expect(page.contains(##"<span class="pr">$ </span><span class="cmd">book</span> run"##))
        #expect(page.contains(##"<span class="err">chapters/01-a.md:3:1: error: oops</span>"##))
        #expect(page.contains(##"<section class="exercises" aria-labelledby="exercises">"##))
        #expect(page.contains("<details class=\"hint\"><summary>Hint</summary>\n<p>look at <code>grub-file</code>.</p>\n</details>"))
        #expect(!page.contains("<em>Hint:</em>"))
        #expect(page.contains("<details><summary>Solution</summary>"))
        // The section closes before the next heading of the same level.
        let close = try #require(page.range(of: "</section>"))
        let after = try #require(page.range(of: ##"<h2 id="after">"##))
        #expect(close.lowerBound < after.lowerBound)
    }

    @Test func pipeTablesBecomeTables() throws {
        let site = try weave([("01-a.md", """
            # A

            | Offset | Field |
            |-------:|-------|
            | 0      | `magic` |
            """)])
        let page = try #require(site["01-a.html"])
        #expect(page.contains(##"<thead><tr><th style="text-align:right">Offset</th><th>Field</th></tr></thead>"##))
        #expect(page.contains(##"<tr><td style="text-align:right">0</td><td><code>magic</code></td></tr>"##))
    }

    /// The site lists the chapters of a tangled file without tangling it:
    /// the same chapters in the same order, also with cycles, undefined
    /// chunks and a chunk included twice.
    @Test func fileChaptersAreTheTanglersChapters() {
        let book = makeBook([
            ("01-a.md", "# A\n\n\(fence)asm file=asm/a.S\n<<late>>\n<<loop>>\n<<missing>>\n\(fence)\n"),
            ("02-b.md", "# B\n\n\(fence)asm chunk=\"loop\"\n<<inner>>\n\(fence)\n\n\(fence)asm chunk=\"inner\"\n<<loop>>\nnop\n\(fence)\n"),
            ("03-c.md", "# C\n\n\(fence)asm chunk=\"late\"\nhlt\n\(fence)\n\n\(fence)asm file=asm/b.S\n<<inner>>\n<<late>>\n\(fence)\n"),
            ("04-d.md", "# D\n\n\(fence)asm chunk=\"inner\" append\ncli\n\(fence)\n"),
        ])
        var log = DiagnosticLog()
        let graph = ChunkGraph(chapters: book.chapters, log: &log)
        let tangled = Tangler(graph: graph).tangle(log: &log)
        #expect(tangled.map { SiteRenderer.chapters(of: $0.path, in: graph) } == tangled.map(\.chapters))
        #expect(tangled.map(\.chapters) == [
            ["chapters/01-a.md", "chapters/03-c.md", "chapters/02-b.md", "chapters/04-d.md"],
            ["chapters/03-c.md", "chapters/02-b.md", "chapters/04-d.md"],
        ])
    }

    /// The files each chunk ends up in, worked out once downwards from
    /// the files, are the files found by following its uses upwards.
    @Test func filesContainingAChunkAreFoundFromTheFiles() {
        let book = makeBook([
            ("01-a.md", "# A\n\n\(fence)asm file=asm/a.S\n<<x>>\n\(fence)\n\n\(fence)asm chunk=\"x\"\n<<y>>\n<<z>>\n\(fence)\n"),
            ("02-b.md", "# B\n\n\(fence)asm chunk=\"y\"\n<<x>>\n\(fence)\n\n\(fence)asm file=asm/b.S\n<<y>>\n\(fence)\n"),
            ("03-c.md", "# C\n\n\(fence)asm chunk=\"z\"\nnop\n\(fence)\n\n\(fence)asm chunk=\"lonely\"\n<<z>>\n\(fence)\n\n\(fence)asm chunk=\"x\" append\ncli\n\(fence)\n"),
        ])
        let index = ChunkIndex(pages: book.chapters.map(ChapterPage.init), parsed: ParsedChapter.all(book.chapters))
        func upwards(_ target: ChunkTarget) -> [String] {
            var found: Set<String> = [], seen: Set<ChunkTarget> = [], work = [target]
            while let next = work.popLast() {
                guard seen.insert(next).inserted else { continue }
                switch next {
                case .file(let path): found.insert(path)
                case .named(let name): work += (index.uses[name] ?? []).map(\.target)
                }
            }
            return index.files.filter(found.contains)
        }
        for target in index.pieces.keys { #expect(index.files(containing: target) == upwards(target), "\(target)") }
        #expect(index.files(containing: .named("z")) == ["asm/a.S", "asm/b.S"])
        #expect(index.files(containing: .named("lonely")) == [])
    }

    @Test func tangledFilePageLinksBackWithoutLineMarkers() throws {
        let site = try weave(Self.twoChapters)
        let page = try #require(site["files/asm/a.S.html"])
        #expect(!page.contains("#line"))
        #expect(page.contains(##"<link rel="stylesheet" href="../../assets/book.css">"##))
        #expect(page.contains(##"<span class="seg"><a href="../../01-a.html#file-asm-a-s">asm/a.S <span class="label">1a</span></a>"##))
        // The final state: chapter 2 replaced "set up".
        #expect(page.contains(##"<span class="seg">    <a href="../../02-b.html#chunk-set-up-2">⟨set up⟩ <span class="label">2b</span></a>"##))
        #expect(page.contains(##"<span class="i">nop</span>"##))
        #expect(!page.contains(">cli<"))
        #expect(page.contains(##"(continued)"##))
    }

    @Test func landingPageSearchIndexAndHeaders() throws {
        let files = try makeBook(Self.twoChapters).weave()
        let paths = Set(files.map(\.path))
        #expect(paths.isSuperset(of: [
            "site/index.html", "site/01-a.html", "site/02-b.html", "site/files/asm/a.S.html",
            "site/search-index.js", "site/assets/book.css", "site/assets/book.js",
        ]))
        for file in files {
            #expect(GeneratedFile.provenance(of: file.contents) == .generated(body: file.body))
            if file.path.hasSuffix(".html") {
                let lines = file.contents.split(separator: "\n", maxSplits: 3)
                #expect(lines[0].hasPrefix("<!-- Generated by `book`"))
                #expect(lines[1].hasPrefix("<!-- Do not edit: change the chapter and run `book weave`."))
                #expect(lines[2] == "<!doctype html>")
            } else {
                #expect(file.contents.hasPrefix("/* Generated by `book`"))
            }
        }
        let index = try #require(files.first { $0.path == "site/index.html" }?.body)
        #expect(index.contains(##"<a class="card-title" href="01-a.html">First steps</a>"##))
        #expect(index.contains(##"creates <a href="files/asm/a.S.html"><code>asm/a.S</code></a>"##))
        let search = try #require(files.first { $0.path == "site/search-index.js" }?.body)
        #expect(search.hasPrefix("window.BOOK_SEARCH = [\n"))
        #expect(search.contains(##"{t:"Start",c:"First steps",u:"01-a.html#start",x:""##))
        #expect(search.contains(##"{t:"⟨set up⟩ 1b",c:"First steps",u:"01-a.html#chunk-set-up",x:"    cli",k:1}"##))
    }

    @Test func weavingWritesThroughTheOutputTree() throws {
        let root = try temporaryFolder()
        let book = makeBook(Self.twoChapters, root: root)
        let tree = OutputTree(root: root, managedFolders: OutputTree.siteFolders)
        let files = try book.weave()
        #expect(try tree.write(files).count == files.count)
        #expect(tree.changes(for: files).isEmpty)
        let page = root.appendingPathComponent("site/01-a.html")
        try (String(contentsOf: page, encoding: .utf8) + "<p>edit</p>\n").write(to: page, atomically: true, encoding: .utf8)
        #expect(tree.changes(for: files) == [.editedByHand("site/01-a.html")])
        #expect(throws: DiagnosticError.self) { try tree.write(files) }
    }

    @Test func serverAnswersGetWithFilesFromTheSite() throws {
        let folder = try temporaryFolder()
        try "<p>hi</p>".write(to: folder.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let ok = String(decoding: SiteServer.response(to: "GET /?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", folder: folder), as: UTF8.self)
        #expect(ok.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 9\r\n"))
        #expect(ok.hasSuffix("\r\n\r\n<p>hi</p>"))
        let missing = String(decoding: SiteServer.response(to: "GET /../etc/passwd HTTP/1.1\r\n\r\n", folder: folder), as: UTF8.self)
        #expect(missing.hasPrefix("HTTP/1.1 404 Not Found"))
        let post = String(decoding: SiteServer.response(to: "POST / HTTP/1.1\r\n\r\n", folder: folder), as: UTF8.self)
        #expect(post.hasPrefix("HTTP/1.1 405"))
    }
}

@Suite struct WeaveHighlighterTests {
    func kinds(_ language: CodeLanguage, _ text: String) -> [String] {
        language.tokenize(text).filter { $0.kind != .plain }.map { "\($0.kind.rawValue):\($0.text)" }
    }

    @Test func tokensCoverTheTextExactly() {
        let samples: [(CodeLanguage, String)] = [
            (.swift, "let s = \"\"\"\n  a \\(b)\n  \"\"\" /* x /* y */ */ 0x1F_u"),
            (.asm, "lbl: mov 4(%ebx), %esp # old comment\n 'a' \"s\\\"\" ; nop"),
            (.ld, "/DISCARD/ : { *(.comment) } ASSERT(a <= 2M, \"x\")"),
            (.shell, "FOO=1 cc -o x 'a b' \"$HOME\" | wc -l # done\\\n  next"),
            (.console, "$ book run\nout\n"),
        ]
        for (language, text) in samples {
            #expect(language.tokenize(text).map(\.text).joined() == text)
        }
    }

    @Test func swiftTokens() {
        #expect(kinds(.swift, "@_cdecl(\"m\") func go() { #sourceLocation() }") == [
            "a:@_cdecl", "p:(", "s:\"m\"", "p:)", "k:func", "id:go", "p:()", "p:{", "pp:#sourceLocation", "p:()", "p:}",
        ])
    }

    @Test func linkerScriptTokens() {
        #expect(kinds(.ld, "boot PT_LOAD FLAGS(7);") == ["id:boot", "t:PT_LOAD", "k:FLAGS", "p:(", "n:7", "p:);"])
    }

    @Test func shellTokens() {
        #expect(kinds(.shell, "clang -c a.S && echo ok") == ["cmd:clang", "o:-c", "p:&&", "cmd:echo"])
    }
}

/// The real book, woven in memory: every internal link and anchor resolves.
@Suite struct WeaveRealBookTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyInternalLinkResolves() throws {
        let book = try Book.load(root: Self.repositoryRoot)
        // Speed is measured by bench/run, never asserted here.
        let files = try book.weave()

        var pages: [String: String] = [:]
        for file in files { pages[String(file.path.dropFirst("site/".count))] = file.body }
        #expect(pages["index.html"] != nil)
        #expect(book.chapters.allSatisfy { pages[ChapterPage(chapter: $0).fileName] != nil })

        func anchors(in html: String) -> Set<String> { Set(values(of: "id", in: html)) }
        var anchorCache: [String: Set<String>] = [:]
        var checked = 0
        for (path, html) in pages where path.hasSuffix(".html") {
            let ids = values(of: "id", in: html)
            #expect(ids.count == Set(ids).count, "duplicate ids in \(path): \(ids.filter { id in ids.filter { $0 == id }.count > 1 })")
            for link in values(of: "href", in: html) + values(of: "src", in: html) {
                if link.contains("://") || link.hasPrefix("mailto:") { continue }
                var target = link
                var fragment: String?
                if let hash = link.firstIndex(of: "#") {
                    fragment = String(link[link.index(after: hash)...])
                    target = String(link[..<hash])
                }
                let resolved = target.isEmpty ? path : resolve(target, from: path)
                guard let page = pages[resolved] else {
                    Issue.record("\(path): link to \(link) goes nowhere (\(resolved))")
                    continue
                }
                if let fragment, !fragment.isEmpty {
                    if anchorCache[resolved] == nil { anchorCache[resolved] = anchors(in: page) }
                    #expect(anchorCache[resolved]!.contains(fragment), "\(path): no anchor #\(fragment) in \(resolved)")
                }
                checked += 1
            }
        }
        #expect(checked > 100)
        try FigureTests.checkRealBookFigures(pages)
        try AppendixTests.checkRealBookAppendices(pages)
        // The search index points at real anchors, too.
        let search = try #require(pages["search-index.js"])
        for url in values(of: "u:", in: search, quote: "\"") {
            let parts = url.split(separator: "#", maxSplits: 1).map(String.init)
            let page = try #require(pages[parts[0]], "search entry \(url)")
            if parts.count == 2 { #expect(anchors(in: page).contains(parts[1]), "search entry \(url)") }
        }
    }

    /// The values of `name="..."` in `html`.
    func values(of name: String, in html: String, quote: String = "\"") -> [String] {
        let marker = name.hasSuffix(":") ? name + quote : " \(name)=\(quote)"
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: marker) {
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: quote) else { break }
            result.append(String(rest[..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// `../../01-a.html` seen from `files/asm/a.S.html` → `01-a.html`.
    func resolve(_ link: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for component in link.split(separator: "/") {
            if component == ".." { if !parts.isEmpty { parts.removeLast() } } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }
}

/// The byte-level fast paths of the HTML helpers give what going Character
/// by Character (or scalar by scalar) gives.
@Suite struct WeaveTextFastPathTests {
    static let samples = [
        "", "plain", "a < b && c > \"d\"", "tab\tand\r\nCRLF\n", "  spaced   out \u{0B}\u{0C} words  ",
        "<\u{338} combined", "ünïcödé <b> \u{2028} \u{00A0}nbsp", "\u{1B}[0m escape", "emoji 👍🏽 & more",
        "\u{2029}\\ \u{7F}\u{0}\u{1F} \u{2027}\u{202A}",
    ]

    @Test func escapingMatchesTheCharacterByCharacterVersion() {
        for text in Self.samples {
            var expected = ""
            for character in text {
                switch character {
                case "&": expected += "&amp;"
                case "<": expected += "&lt;"
                case ">": expected += "&gt;"
                case "\"": expected += "&quot;"
                default: expected.append(character)
                }
            }
            #expect(HTML.escape(text) == expected, "\(text)")
            #expect(HTML.escape(text.dropFirst()) == HTML.escape(String(text.dropFirst())), "\(text)")
        }
    }

    @Test func jsonStringsMatchTheScalarByScalarVersion() {
        for text in Self.samples {
            var expected = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": expected += "\\\""
                case "\\": expected += "\\\\"
                case "\n": expected += "\\n"
                case "\r": expected += "\\r"
                case "\t": expected += "\\t"
                case "<": expected += "\\u003c"
                default:
                    if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                        let hex = String(scalar.value, radix: 16)
                        expected += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        expected.unicodeScalars.append(scalar)
                    }
                }
            }
            let bytes = HTMLBytes()
            bytes.appendJSONString(text)
            #expect(bytes.string == expected + "\"", "\(text)")
        }
    }

    @Test func collapsingWhiteSpaceMatchesSplittingCharacters() {
        for text in Self.samples {
            #expect(text.collapsingWhitespace() == text.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(text)")
        }
    }

    /// The diff and tangled-file views render code from the scanner's
    /// spans; that gives what rendering its tokens one by one gives.
    @Test func codeFromSpansMatchesTokenByToken() {
        let index = ChunkIndex(pages: [], parsed: [])
        var symbols = SymbolIndex()
        let definitions = ["#define PORT 0xE9", "entry:", "struct Frame {}", "func main() {}", "__end = .;"]
        for (line, text) in definitions.enumerated() {
            for language in [CodeLanguage.asm, .swift, .ld] {
                symbols.collect(HighlightedCode(lines: [text], references: [], language: language), key: BlockKey(chapter: "c", line: line), page: "01-a.html")
            }
        }
        #expect(!symbols.isEmpty)
        let texts = Self.samples + [
            "movq %rax, 0x10(%rsp) // ü comment\n", "let ü = \"ä\" // x", "    outb %al, $PORT\n    jmp entry\n1:  jmp 1b",
            "let frame = Frame(); main() /* a < b */", "__end = . ; ENTRY(entry)", "$ echo \"<x>\" && ls -l | wc\nout & put",
        ]
        for withSymbols in [true, false] {
            let renderer = CodeRenderer(index: index, symbols: withSymbols ? symbols : SymbolIndex(), prefix: "../")
            for text in texts {
                for language in [CodeLanguage.asm, .swift, .ld, .shell, .console, .plain] {
                    let expected = HTMLBytes()
                    for (position, token) in language.tokenize(text).enumerated() {
                        renderer.appendTokenHTML(token, language: language, key: nil, position: .init(segment: -1, token: position), to: expected)
                    }
                    let html = HTMLBytes()
                    renderer.appendCodeHTML(text, language: language, to: html)
                    #expect(html.string == expected.string, "\(language) \(text)")
                }
            }
        }
        let html = HTMLBytes()
        CodeRenderer(index: index, symbols: symbols, prefix: "../").appendCodeHTML("    outb %al, $PORT", language: .asm, to: html)
        #expect(html.string == ##"    <span class="i">outb</span> <span class="r">%al</span><span class="p">,</span> <span class="p">$</span><a class="sym" href="../01-a.html#sym-PORT">PORT</a>"##)
    }

    @Test func tokenTextsMatchForASCIIAndOtherText() {
        for text in Self.samples + ["movq %rax, 0x10(%rsp) // ü comment\n", "let ü = \"ä\" // x"] {
            for language in [CodeLanguage.asm, .swift, .ld, .shell, .console] {
                #expect(language.tokenize(text).map(\.text).joined() == text, "\(language) \(text)")
            }
        }
    }
}

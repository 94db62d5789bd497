@testable import BookKit
import Testing

@Suite struct LineDiffTests {
    func unified(_ old: [String], _ new: [String], context: Int = 3) -> String {
        LineDiff.hunks(LineDiff.edits(from: old, to: new), context: context)
            .map { ([$0.header] + $0.edits.map(\.unified)).joined(separator: "\n") }
            .joined(separator: "\n")
    }

    @Test func identicalTextsHaveNoHunks() {
        #expect(LineDiff.hunks(LineDiff.edits(from: ["a", "b"], to: ["a", "b"])).isEmpty)
        #expect(LineDiff.hunks(LineDiff.edits(from: [], to: [])).isEmpty)
    }

    @Test func hunksHaveThreeLinesOfContextAndGNURanges() {
        let old = (1...12).map { "line \($0)" }
        var new = old
        new[1] = "line two"  // change line 2
        new.remove(at: 10)  // remove line 11
        #expect(unified(old, new) == """
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +line two
             line 3
             line 4
             line 5
            @@ -8,5 +8,4 @@
             line 8
             line 9
             line 10
            -line 11
             line 12
            """)
        // Changes at most 2 × 3 unchanged lines apart share one hunk.
        var close = old
        close[1] = "two"
        close[8] = "nine"
        #expect(LineDiff.hunks(LineDiff.edits(from: old, to: close)).count == 1)
        // A count of one is left out; an empty side names the line before.
        #expect(unified(["a"], ["b"]) == "@@ -1 +1 @@\n-a\n+b")
        #expect(unified([], ["x", "y"]) == "@@ -0,0 +1,2 @@\n+x\n+y")
        #expect(unified(["a", "b", "c"], ["a", "c"], context: 0) == "@@ -2 +1,0 @@\n-b")
    }

    @Test func aNewBlockIsNotSplitAroundAnOldBlankLine() {
        let old = ["#define A 1", "", "code"]
        let new = ["#define A 1", "#define B 2", "", "// flags", "#define C 3", "", "code"]
        #expect(unified(old, new) == """
            @@ -1,3 +1,7 @@
             #define A 1
            +#define B 2
            +
            +// flags
            +#define C 3
             \("")
             code
            """)
    }

    /// On many small random texts: the edits rebuild both texts, and there
    /// are as few of them as the longest common subsequence allows.
    @Test func editsAreCorrectAndMinimal() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<400 {
            let old = (0..<Int(generator.next() % 12)).map { _ in ["a", "b", "c", ""][Int(generator.next() % 4)] }
            let new = (0..<Int(generator.next() % 12)).map { _ in ["a", "b", "c", ""][Int(generator.next() % 4)] }
            let edits = LineDiff.edits(from: old, to: new)
            #expect(edits.compactMap { if case .added = $0 { nil } else { $0.line } } == old)
            #expect(edits.compactMap { if case .removed = $0 { nil } else { $0.line } } == new)
            let same = edits.filter { if case .same = $0 { true } else { false } }.count
            #expect(same == lcs(old, new), "\(old) → \(new)")
        }
    }

    /// The diff of two texts given as line numbers (what the site's code
    /// states hold) is the diff of the texts.
    @Test func hunksOfNumberedLinesAreTheHunksOfTheLines() {
        var generator = SplitMix(seed: 7)
        let words = ["a", "b", "c", "", "a"]
        for round in 0..<400 {
            let length = round < 200 ? 12 : 40
            let old = (0..<Int(generator.next() % UInt64(length))).map { _ in words[Int(generator.next() % 5)] }
            var new = old
            for _ in 0..<Int(generator.next() % 4) {
                let position = new.isEmpty ? 0 : Int(generator.next() % UInt64(new.count + 1))
                if generator.next() % 2 == 0, position < new.count { new.remove(at: position) }
                else { new.insert(words[Int(generator.next() % 5)], at: position) }
            }
            let (a, b) = LineDiff.numbered(old, new)
            for context in [0, 1, 3] {
                let fast = LineDiff.hunks(from: a, to: b, context: context, old: { old[$0] }, new: { new[$0] })
                #expect(fast == LineDiff.hunks(LineDiff.edits(from: old, to: new), context: context), "\(old) → \(new)")
            }
        }
    }

    func lcs(_ a: [String], _ b: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in a.indices.reversed() {
            for j in b.indices.reversed() {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

@Suite struct ChapterChangesTests {
    static let book: [(String, String)] = [
        ("00-intro.md", "# Intro\n\nNo code here.\n"),
        ("01-a.md", """
            # A

            \(fence)asm file=asm/a.S
            start:
                <<body>>
                jmp start
            \(fence)

            \(fence)asm chunk="body"
            cli
            hlt
            \(fence)

            \(fence)ld file=asm/link.ld
            ENTRY(start)
            \(fence)
            """),
        ("02-b.md", """
            # B

            Same code again, from a new place: only the line markers change.

            \(fence)ld file=asm/link.ld replace
            ENTRY(start)
            \(fence)

            \(fence)asm chunk="body" replace
            cld
            hlt
            \(fence)

            \(fence)swift file=Sources/Main.swift
            func main() {}
            \(fence)
            """),
    ]

    @Test func aChapterDiffShowsNewFilesAndChangedLinesButNotMarkers() throws {
        let book = makeBook(Self.book)
        let changes = try book.changes(inChapter: 2)
        #expect(changes.previous == 1)
        #expect(changes.files.map(\.path) == ["asm/a.S", "Sources/Main.swift"])
        #expect(changes.unifiedDiff == """
            --- after chapter 1/asm/a.S
            +++ after chapter 2/asm/a.S
            @@ -1,4 +1,4 @@
             start:
            -    cli
            +    cld
                 hlt
                 jmp start
            --- /dev/null
            +++ after chapter 2/Sources/Main.swift
            @@ -0,0 +1 @@
            +func main() {}

            """)
        // The tangled files do carry markers, and chapter 2 moved link.ld's.
        let before = try book.tangle(upTo: 1).files, after = try book.tangle(upTo: 2).files
        #expect(before.first { $0.path == "asm/link.ld" }!.body.contains("/* chapters/01-a.md:"))
        #expect(after.first { $0.path == "asm/link.ld" }!.body.contains("/* chapters/02-b.md:"))
        #expect(after.first { $0.path == "asm/a.S" }!.body.contains("#line "))
        #expect(after.first { $0.path == "Sources/Main.swift" }!.body.contains("#sourceLocation("))
    }

    @Test func theFirstChaptersCompareWithNothing() throws {
        let book = makeBook(Self.book)
        #expect(try book.changes(inChapter: 0).files.isEmpty)
        #expect(try book.changes(inChapter: 0).unifiedDiff == "")
        let first = try book.changes(inChapter: 1)
        #expect(first.previous == 0)
        #expect(first.files.map(\.kind) == [.created, .created])
        #expect(first.unifiedDiff.hasPrefix("--- /dev/null\n+++ after chapter 1/asm/a.S\n@@ -0,0 +1,4 @@\n+start:\n+    cli\n"))
    }

    @Test func aRemovedFileIsComparedWithDevNull() {
        let before = [GeneratedFile(path: "asm/old.S", body: "#line 3 \"chapters/01-a.md\"\nnop\nret\n", chapters: [])]
        let changes = ChapterChanges(chapter: 4, previous: 3, before: before, after: [])
        #expect(changes.files.map(\.kind) == [.removed])
        #expect(changes.unifiedDiff == "--- after chapter 3/asm/old.S\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-nop\n-ret\n")
    }

    @Test func aChapterThatDoesNotExistIsAnError() {
        #expect(throws: DiagnosticError.self) { try makeBook(Self.book).changes(inChapter: 7) }
        do {
            _ = try makeBook(Self.book).changes(inChapter: 7)
        } catch let error as DiagnosticError {
            #expect(error.diagnostics.map(\.description) == ["error: there is no chapter 7 (chapters: 0, 1, 2)"])
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func chapterPagesEndWithWhatChanged() throws {
        let site = try weave(Self.book)
        let second = try #require(site["02-b.html"])
        #expect(second.contains(##"<section class="changes" aria-labelledby="what-changed-in-this-chapter">"##))
        #expect(second.contains(##"<h2 id="what-changed-in-this-chapter">What changed in this chapter<a class="anchor""##))
        #expect(second.contains("The code after this chapter compared with the code after chapter 1: 1 new file and 1 changed file, 2 lines added, 1 removed."))
        #expect(second.contains(##"<details class="file-diff"><summary><code>asm/a.S</code><span class="diff-stat"><span class="plus">+1</span> <span class="minus">−1</span></span></summary>"##))
        #expect(second.contains(##"<details class="file-diff"><summary><code>Sources/Main.swift</code><span class="diff-kind created">new</span>"##))
        #expect(second.contains("<span class=\"dl hunk\">@@ -1,4 +1,4 @@\n</span>"))
        #expect(second.contains("<span class=\"dl del\"><span class=\"sign\">-</span>    <span class=\"i\">cli</span>\n</span>"))
        #expect(second.contains("<span class=\"dl add\"><span class=\"sign\">+</span>    <span class=\"i\">cld</span>\n</span>"))
        #expect(second.contains("<span class=\"dl\"><span class=\"sign\"> </span>    <span class=\"i\">jmp</span>"))
        #expect(!second.contains("link.ld</code><span"))  // only its markers changed
        // The sidebar outline and the files note at the top link to it.
        #expect(second.contains(##"<li class="level2"><a href="#what-changed-in-this-chapter">What changed in this chapter</a></li>"##))
        #expect(second.contains(##"<a href="#what-changed-in-this-chapter">See what changed.</a></p>"##))
        // The introduction changes no code and has no such section.
        #expect(!(try #require(site["00-intro.html"])).contains("what-changed"))
    }

    /// The site builds each code state from the one before and tangles only
    /// the files that reach a changed chunk; that must give what tangling
    /// every state from scratch gives, also for chunks used before they are
    /// defined, replaced deep inside a file, shared by two files, or cyclic.
    @Test func incrementalCodeStatesMatchTanglingEveryStateAgain() {
        let fence = "```"
        let book = makeBook([
            ("01-a.md", """
                # A

                \(fence)asm file=asm/a.S
                start:
                    <<outer>>
                    <<later>>
                \(fence)

                \(fence)asm chunk="outer"
                <<inner>>
                \(fence)

                \(fence)asm chunk="inner"
                    nop
                \(fence)

                \(fence)asm file=asm/b.S
                <<inner>>
                \(fence)
                """),
            ("02-b.md", """
                # B

                \(fence)asm chunk="inner" append
                    hlt
                \(fence)

                \(fence)asm chunk="later"
                    jmp start
                \(fence)

                \(fence)swift file=Sources/Main.swift
                func main() {}
                \(fence)
                """),
            ("03-c.md", """
                # C

                \(fence)asm chunk="inner" replace
                    cli
                    <<loop>>
                \(fence)

                \(fence)asm chunk="loop"
                    <<inner>>
                \(fence)
                """),
            ("04-d.md", """
                # D

                \(fence)swift file=Sources/Main.swift append
                let x = 1
                \(fence)
                """),
        ])
        var expected: [String: ChapterChanges] = [:]
        var before: [GeneratedFile] = []
        var previous: Int?
        for (position, chapter) in book.chapters.enumerated() {
            var ignored = DiagnosticLog()
            let graph = ChunkGraph(chapters: Array(book.chapters[...position]), log: &ignored)
            let after = Tangler(graph: graph).tangle(log: &ignored)
            expected[chapter.path] = ChapterChanges(chapter: chapter.number, previous: previous, before: before, after: after)
            before = after
            previous = chapter.number
        }
        let incremental = TangleHistory.changesByChapter(ParsedChapter.all(book.chapters))
        #expect(incremental == expected)
        #expect(incremental["chapters/03-c.md"]?.files.map(\.path) == ["asm/a.S", "asm/b.S"])
    }

    /// The same for what the code states treat specially: markers that
    /// stay (a linker script's marker names a chapter path with a blank,
    /// which `LineMarker.parse` does not read as a marker), code lines that look
    /// like markers, blank lines in indented chunks, tab indentation,
    /// a chunk used at two indentations and in two kinds of file, a
    /// reference that is defined only later, files without markers.
    @Test func incrementalCodeStatesMatchTanglingEveryStateAgainForOddCode() {
        let book = makeBook([
            ("01-a b.md", """
                # A

                \(fence)ld file=asm/link.ld
                SECTIONS {
                    <<sections>>
                }
                \(fence)

                \(fence)ld chunk="sections"
                .text : { *(.text) }

                .data : { *(.data) }
                \(fence)

                \(fence)asm file=asm/a.S
                start:
                \t<<body>>
                        <<body>>
                #line 7 "chapters/01-a b.md"
                \(fence)

                \(fence)sh file=scripts/run.sh
                echo start
                <<body>>
                \(fence)
                """),
            ("02-b.md", """
                # B

                \(fence)asm chunk="body"
                    nop

                    <<missing>>
                    ret
                \(fence)

                \(fence)ld chunk="sections" append
                /* chapters/02-b.md:3 */
                .bss : { *(.bss) }
                \(fence)
                """),
            ("03-c.md", """
                # C

                \(fence)asm chunk="missing"
                    cli
                \(fence)

                \(fence)html file=site/x.html
                <p>
                <<missing>>
                \(fence)
                """),
            ("04-d.md", """
                # D

                \(fence)asm chunk="missing" replace
                    sti
                \(fence)

                \(fence)ld file=asm/link.ld append
                ENTRY(start)
                \(fence)
                """),
        ])
        var expected: [String: ChapterChanges] = [:]
        var before: [GeneratedFile] = []
        var previous: Int?
        for (position, chapter) in book.chapters.enumerated() {
            var ignored = DiagnosticLog()
            let graph = ChunkGraph(chapters: Array(book.chapters[...position]), log: &ignored)
            let after = Tangler(graph: graph).tangle(log: &ignored)
            expected[chapter.path] = ChapterChanges(chapter: chapter.number, previous: previous, before: before, after: after)
            before = after
            previous = chapter.number
        }
        let incremental = TangleHistory.changesByChapter(ParsedChapter.all(book.chapters))
        #expect(incremental == expected)
        // The markers of the first chapter stay, those of the second go.
        #expect(incremental["chapters/01-a b.md"]?.unifiedDiff.contains("+/* chapters/01-a b.md:4 */\n") == true)
        #expect(incremental["chapters/02-b.md"]?.unifiedDiff.contains("chapters/02-b.md:") == false)
        #expect(incremental["chapters/04-d.md"]?.files.map(\.path) == ["asm/link.ld", "asm/a.S", "scripts/run.sh", "site/x.html"])
    }
}

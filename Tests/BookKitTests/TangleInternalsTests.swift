@testable import BookKit
import Testing

/// The fast paths of the tangler: byte-level scans that must agree with
/// the rules chapter 0 states, and the parallel expansion of files that
/// must report exactly what one-after-another expansion would.
@Suite struct TangleInternalsTests {
    @Test func aReferenceIsBlanksAngleBracketsANameAndBlanks() throws {
        let reference = try #require(Reference(line: " \t <<set up the stack>> \t"))
        #expect(reference.name == "set up the stack")
        #expect(reference.indent == " \t ")
        #expect(reference.column == 3)
        let unicode = try #require(Reference(line: "\t<<é ü>>"))
        #expect(unicode.name == "é ü" && unicode.indent == "\t" && unicode.column == 1)
        #expect(Reference(line: "<<a>>>")?.name == "a>")
        #expect(Reference(line: "<<<a>>")?.name == "<a")
        for notAReference in ["<<>>", "<<a>> x", "x <<a>>", "<<a<<b>>", "<<a>>b>>", "<a>>", "<<a>", "", "   ", "<<"] {
            #expect(Reference(line: notAReference) == nil, "\(notAReference)")
        }
    }

    @Test func theLinesHoldingAngleBracketPairsAreFoundOnTheBytes() {
        #expect(Lint.linesHoldingReferenceMarks("a\n<<b>>\nc << d << e\n<\n< <\n<<") == [2, 3, 6])
        #expect(Lint.linesHoldingReferenceMarks("") == [])
        #expect(Lint.linesHoldingReferenceMarks("<<<\n\n<<") == [1, 3])
    }

    @Test func aLineSetMergesTouchingRanges() {
        var set = LineSet()
        set.insert(3...5)
        set.insert(6...6)
        set.insert(9...12)
        set.insert(0...0)  // line 0 does not exist: ignored
        #expect((0...14).filter(set.contains) == [3, 4, 5, 6, 9, 10, 11, 12])
        #expect(!LineSet().contains(1))
    }

    @Test func asciiInfoStringsTokenizeAsCharactersDo() {
        func render(_ tokens: [(value: ChunkAttributes.Token?, column: Int)]) -> [String] {
            tokens.map { $0.value.map { "\($0.text)@\($0.column)" } ?? "unterminated@\($0.column)" }
        }
        let infos = ["swift file=a.swift append", "  c  chunk=\"a b\"\treplace ", "x title=\"open", "", "\u{0b}a\u{0c}b\r"]
        for info in infos {
            #expect(render(ChunkAttributes.tokenizeASCII(info)) == render(ChunkAttributes.tokenizeCharacters(info)), "\(info)")
        }
        #expect(render(ChunkAttributes.tokenize("c chunk=\"a b\" x=\"")) == ["c@0", "chunk=\"a b\"@2", "unterminated@14"])
    }

    @Test func filesExpandedInParallelReportAsIfOneAfterAnother() {
        // Three files: "gone" is used by the first and the third, "lost" by
        // the second; each undefined chunk is reported once, in file order.
        let chapter = """
            \(fence)c file=a.c
            <<gone>>
            \(fence)
            \(fence)c file=b.c
            <<lost>>
            \(fence)
            \(fence)c file=c.c
            <<shared>>
            \(fence)
            \(fence)c chunk=shared
            <<gone>>
            <<lost>>
            \(fence)
            """
        #expect(errors([("01-a.md", chapter)]) == [
            "chapters/01-a.md:2:1: error: undefined chunk \"gone\"",
            "chapters/01-a.md:5:1: error: undefined chunk \"lost\"",
            "chapters/01-a.md:11:1: error: undefined chunk \"gone\"",
            "chapters/01-a.md:12:1: error: undefined chunk \"lost\"",
        ])
    }

    @Test func occurrencesAreNumberedAcrossFilesInFileOrder() throws {
        // A chunk included once by each of two files: its piece has two
        // occurrences, numbered after the pieces of the files before.
        let book = makeBook([("01-a.md", """
            \(fence)c file=a.c
            <<x>>
            \(fence)
            \(fence)c file=b.c
            <<x>>
            \(fence)
            \(fence)c chunk=x
            int x;
            \(fence)
            """)])
        var log = DiagnosticLog()
        let tangled = Tangler(graph: ChunkGraph(chapters: book.chapters, log: &log)).tangle(recordingOrigins: true, log: &log)
        let occurrences = tangled.map { file in
            file.origins.filter { $0.kind == .code }.map { "\($0.target):\($0.occurrence)" }
        }
        #expect(occurrences == [["chunk \"x\":1"], ["chunk \"x\":3"]])
    }
}

import BookKit
import Testing

@Suite struct DiagnosticTests {
    @Test func undefinedChunkIsReportedAtTheReference() {
        #expect(errors([("01-a.md", "# A\n\n\(fence)swift file=a.swift\nfunc f() {\n    <<missing piece>>\n}\n\(fence)\n")]) == [
            "chapters/01-a.md:5:5: error: undefined chunk \"missing piece\"",
        ])
    }

    @Test func cyclicReferencePrintsTheCycle() {
        #expect(errors([("01-a.md", """
            \(fence)swift file=a.swift
            <<a>>
            \(fence)
            \(fence)swift chunk=a
            <<b>>
            \(fence)
            \(fence)swift chunk=b
              <<a>>
            \(fence)
            """)]) == [
            """
            chapters/01-a.md:8:3: error: cyclic reference: "a" -> "b" -> "a"
            chapters/01-a.md:5:1: note: "b" is referenced here
            """,
        ])
    }

    @Test func secondChapterWritingAFileWithoutAppendIsAnError() {
        #expect(errors([
            ("01-a.md", "\(fence)asm file=asm/x.S\nnop\n\(fence)\n"),
            ("02-b.md", "text\n\n\(fence)asm file=asm/x.S\nhlt\n\(fence)\n"),
        ]) == [
            """
            chapters/02-b.md:3:1: error: file "asm/x.S" is already defined; mark this block 'append' or 'replace' to change it
            chapters/01-a.md:1:1: note: first defined here
            """,
        ])
    }

    @Test func unknownAttributeIsReportedAtItsColumn() {
        #expect(errors([("01-a.md", "\(fence)swift file=a.swift apend\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:23: error: unknown attribute 'apend' (known: file, chunk, append, replace, transcript)",
        ])
    }

    @Test func unterminatedFenceIsReportedAtItsOpening() {
        #expect(errors([("01-a.md", "# A\n\n  \(fence)swift file=a.swift\nlet a = 1\n")]) == [
            "chapters/01-a.md:3:3: error: unterminated code fence: the chapter ends before the closing fence",
        ])
    }

    @Test func appendingToAnUndefinedChunkIsAnError() {
        #expect(errors([("01-a.md", "\(fence)swift chunk=\"late one\" append\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:1: error: cannot append to chunk \"late one\": it is not defined in this or an earlier chapter",
        ])
    }

    @Test func badFilePathsAreRejected() {
        #expect(errors([("01-a.md", "\(fence)swift file=../evil.swift\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:15: error: file path '../evil.swift' leaves the book's root",
        ])
        #expect(errors([("01-a.md", "\(fence)md file=chapters/x.md\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:12: error: file path 'chapters/x.md' would write into chapters/, which the generator never writes",
        ])
    }

    @Test func everyErrorOfARunIsReportedAndUnusedChunksWarn() {
        let diagnostics = errors([("01-a.md", """
            \(fence)swift file=a.swift
            <<one>>
            <<two>>
            \(fence)
            \(fence)swift chunk=spare
            x
            \(fence)
            """)])
        #expect(diagnostics == [
            "chapters/01-a.md:2:1: error: undefined chunk \"one\"",
            "chapters/01-a.md:3:1: error: undefined chunk \"two\"",
            "chapters/01-a.md:5:1: warning: chunk \"spare\" is never used",
        ])
    }

    @Test func unknownChapterNumberIsAnError() {
        #expect(throws: DiagnosticError.self) {
            try makeBook([("01-a.md", "")]).tangle(upTo: 7)
        }
    }
}

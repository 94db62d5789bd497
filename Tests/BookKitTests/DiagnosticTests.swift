import BookKit
import Foundation
import Testing

/// The warnings (and notes) of a run that succeeds, as printed.
func warnings(_ chapters: [(String, String)]) throws -> [String] {
    try makeBook(chapters).tangle().warnings.map(\.description)
}

/// The diagnostics of loading chapter files written to disk as bytes.
func loadErrors(_ files: [(String, [UInt8])]) throws -> [String] {
    let root = try temporaryFolder()
    try FileManager.default.createDirectory(at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    for (name, bytes) in files {
        try Data(bytes).write(to: root.appendingPathComponent("chapters/\(name)"))
    }
    do {
        _ = try Book.load(root: root)
        Issue.record("expected loading to fail")
        return []
    } catch let error as DiagnosticError {
        return error.diagnostics.map(\.description)
    }
}

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
            "chapters/01-a.md:1:23: error: unknown attribute 'apend' (known: file, chunk, append, replace, transcript, sample)",
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

    @Test func replacingAChunkDefinedOnlyLaterNamesTheLaterDefinition() {
        #expect(errors([("01-a.md", "\(fence)swift chunk=x replace\na\n\(fence)\n\(fence)swift chunk=x\nb\n\(fence)\n\(fence)swift file=a.swift\n<<x>>\n\(fence)\n")]) == [
            """
            chapters/01-a.md:1:1: error: cannot replace chunk "x": it is not defined in this or an earlier chapter
            chapters/01-a.md:4:1: note: chunk "x" is defined later, here; a block can only change what comes before it
            """,
        ])
    }

    @Test func anUndefinedChunkSuggestsAChunkWithASimilarName() {
        #expect(errors([("01-a.md", "\(fence)swift file=a.swift\n<<say helo>>\n<<say helo>>\n\(fence)\n\(fence)swift chunk=\"say hello\"\nx\n\(fence)\n")]) == [
            """
            chapters/01-a.md:2:1: error: undefined chunk "say helo"
            chapters/01-a.md:5:1: note: did you mean "say hello"? It is defined here
            """,
            """
            chapters/01-a.md:3:1: error: undefined chunk "say helo"
            chapters/01-a.md:5:1: note: did you mean "say hello"? It is defined here
            """,
            "chapters/01-a.md:5:1: warning: chunk \"say hello\" is never used",
        ])
    }

    @Test func anUndefinedChunkIncludedTwiceIsReportedOnce() {
        #expect(errors([("01-a.md", "\(fence)swift file=a.swift\n<<x>>\n<<x>>\n\(fence)\n\(fence)swift chunk=x\n<<gone>>\n\(fence)\n")]) == [
            "chapters/01-a.md:6:1: error: undefined chunk \"gone\"",
        ])
    }

    @Test func absolutePathsAndTheGitFolderAreRejected() {
        #expect(errors([("01-a.md", "\(fence)swift file=/etc/x.swift\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:15: error: file path '/etc/x.swift' is absolute; write it relative to the book's root",
        ])
        #expect(errors([("01-a.md", "\(fence)sh file=.git/hooks/x.sh\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:12: error: file path '.git/hooks/x.sh' would write into .git/, which the generator never writes",
        ])
    }

    @Test func referencesInProseWarn() throws {
        #expect(try warnings([("01-a.md", """
            # A

            Text.

              <<setup>>

            Prose may talk about `<<setup>>`, and ``<<setup>>`` too; `<<` alone is fine.

            `<<setup>>`

              ``<<setup>>``

            \(fence)swift file=a.swift
            <<setup>>
            \(fence)

                <<indented code, not prose>>

            \(fence)swift chunk=setup
            x
            \(fence)
            """)]) == [
            "chapters/01-a.md:5:3: warning: <<setup>> is in prose, outside any code block, so it includes nothing; put it inside the code block that should include the chunk",
            "chapters/01-a.md:9:1: warning: inline code `<<setup>>` alone on a line looks like a chunk reference, but prose includes nothing; write the reference inside a code block",
            "chapters/01-a.md:11:3: warning: inline code `<<setup>>` alone on a line looks like a chunk reference, but prose includes nothing; write the reference inside a code block",
        ])
    }

    @Test func referencesIndentedWithTabsAmongSpacesWarn() throws {
        let chunk = "\(fence)asm chunk=t\nhlt\n\(fence)\n"
        #expect(try warnings([("01-a.md", "\(fence)asm file=x.S\n    nop\n\t<<t>>\n\(fence)\n" + chunk)]) == [
            "chapters/01-a.md:3:1: warning: <<t>> is indented with tabs, the rest of the block with spaces; the chunk's lines will be indented with tabs",
        ])
        #expect(try warnings([("01-a.md", "\(fence)asm file=x.S\n\tnop\n    <<t>>\n\(fence)\n" + chunk)]) == [
            "chapters/01-a.md:3:1: warning: <<t>> is indented with spaces, the rest of the block with tabs; the chunk's lines will be indented with spaces",
        ])
        #expect(try warnings([("01-a.md", "\(fence)asm file=x.S\nnop\n \t<<t>>\n\(fence)\n" + chunk)]) == [
            "chapters/01-a.md:3:1: warning: the indentation of <<t>> mixes tabs and spaces; every line of the chunk gets exactly this indentation",
        ])
        #expect(try warnings([("01-a.md", "\(fence)asm file=x.S\n\tnop\n\t<<t>>\n\(fence)\n" + chunk)]) == [])
    }

    @Test func emptyChaptersAndNumberingGapsWarn() throws {
        #expect(try warnings([
            ("01-a.md", "\(fence)swift file=a.swift\nx\n\(fence)\n"),
            ("02-b.md", "\n  \n"),
            ("05-e.md", "# E\n"),
        ]) == [
            """
            chapters/05-e.md:1:1: warning: chapter numbers jump from 02 to 05: no chapter 03, 04
            chapters/02-b.md:1:1: note: the chapter before it
            """,
            "chapters/02-b.md:1:1: warning: chapter is empty",
        ])
    }

    @Test func duplicateChapterNumbersAreErrors() throws {
        #expect(errors([("01-a.md", "# A\n"), ("01-b.md", "# B\n")]) == [
            """
            chapters/01-b.md:1:1: error: two chapters are numbered 1
            chapters/01-a.md:1:1: note: the other one
            """,
        ])
        // On disk, with bytes that are not UTF-8 in two more chapters: every
        // problem of the load is reported, each at its place.
        #expect(try loadErrors([
            ("01-a.md", Array("# A\n".utf8)),
            ("01-b.md", Array("# B\n".utf8)),
            ("02-c.md", Array("# C\nab".utf8) + [0xFF] + Array("c\n".utf8)),
            ("03-d.md", Array("# D\n\nnaïve ".utf8) + [0xE2, 0x28] + Array("\n".utf8)),
        ]) == [
            """
            chapters/01-b.md:1:1: error: two chapters are numbered 1
            chapters/01-a.md:1:1: note: the other one
            """,
            "chapters/02-c.md:2:3: error: chapter is not valid UTF-8: byte 0xFF cannot start or continue a character here; save the file as UTF-8",
            "chapters/03-d.md:3:7: error: chapter is not valid UTF-8: byte 0xE2 cannot start or continue a character here; save the file as UTF-8",
        ])
    }

    @Test func anAppendixThatIsNotUTF8IsAnErrorAtItsByte() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("appendices"), withIntermediateDirectories: true)
        try Data("# A\n".utf8).write(to: root.appendingPathComponent("chapters/01-a.md"))
        try Data(Array("# Glossary\n\n- Caf".utf8) + [0xE9] + Array(": a word\n".utf8)).write(to: root.appendingPathComponent("appendices/glossary.md"))
        do {
            _ = try Book.load(root: root)
            Issue.record("expected loading to fail")
        } catch let error as DiagnosticError {
            #expect(error.diagnostics.map(\.description) == [
                "appendices/glossary.md:3:6: error: appendix is not valid UTF-8: byte 0xE9 cannot start or continue a character here; save the file as UTF-8",
            ])
        }
    }

    @Test func aLoneCarriageReturnEndsTheLineAsInMarkdownWithAWarning() throws {
        let chapters = [("01-a.md", "# A\n\n\(fence)asm file=a.S\nnop\rhlt\n\(fence)\n")]
        #expect(try warnings(chapters) == [
            "chapters/01-a.md:4:4: warning: a carriage return (\\r) without a line feed ends the line here, as Markdown reads it, and book reads it so too; replace it with a line feed",
        ])
        #expect(try tangle(chapters)["a.S"] == "#line 4 \"chapters/01-a.md\"\nnop\nhlt\n")
    }

    @Test func crlfLineEndingsAreAcceptedWithANote() throws {
        #expect(try warnings([("01-a.md", "# A\n\nText.\r\n\(fence)swift file=a.swift\r\nx\r\n\(fence)\r\n")]) == [
            "chapters/01-a.md:3:1: note: the chapter has CRLF line endings; book reads it with LF endings and book sync keeps them",
        ])
    }
}

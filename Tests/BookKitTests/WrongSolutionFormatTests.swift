@testable import BookKit
import Foundation
import Testing

@Suite struct WrongSolutionFormatTests {
    @Test func theVerdictBlockIsSplitOff() throws {
        let text = """
            The loop prints digits 0 to 9 only.

            ```asm chunk="after entry" replace
                    nop
            ```

            ```verdict
            missing line: the console never showed
                  swiftboot: magic 0x2badb002
            ```

            """
        let wrong = try WrongSolution.parse(name: "1.2-digits-without-letters", path: "solutions/01-a/wrong/1.2-digits-without-letters.md", text: text)
        #expect(wrong.id == "1.2")
        #expect(wrong.verdict == ["missing line: the console never showed", "      swiftboot: magic 0x2badb002"])
        #expect(!wrong.solution.text.contains("verdict"))
        #expect(wrong.solution.text.contains("```asm chunk=\"after entry\" replace\n        nop\n```"))
        #expect(wrong.missingVerdict(in: "exercise 1.2: FAILED\n  missing line: the console never showed\n") == ["      swiftboot: magic 0x2badb002"])
    }

    @Test func aFileWithoutAVerdictIsAnErrorAtItsLastLine() throws {
        let error = try #require(throws: DiagnosticError.self) {
            try WrongSolution.parse(name: "1.2-no-verdict", path: "solutions/01-a/wrong/1.2-no-verdict.md", text: "prose\n\nmore\n")
        }
        #expect(error.description
            == "solutions/01-a/wrong/1.2-no-verdict.md:4:1: error: a wrong solution ends with a ```verdict block: the lines its checker's report must contain")
        let named = try #require(throws: DiagnosticError.self) {
            try WrongSolution.parse(name: "nodash", path: "solutions/01-a/wrong/nodash.md", text: "```verdict\nx\n```\n")
        }
        #expect(named.description.hasSuffix("error: a wrong solution's file is named after its exercise and its mistake, like 1.2-digits-without-letters.md"))
        let open = try #require(throws: DiagnosticError.self) {
            try WrongSolution.parse(name: "1.2-open", path: "w.md", text: "prose\n```verdict\nx\n")
        }
        #expect(open.description == "w.md:2:1: error: the ```verdict block is not closed")
    }
}

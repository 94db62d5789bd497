import BookKit
import Foundation
import Testing

/// `book diff N` on the real book: what a chapter changes, as a unified diff.
@Suite struct BookDiffCommandTests {
    @Test func chapterTwoChangesTheEntryCode() throws {
        let diff = try runBook(["diff", "2"], in: repositoryRoot)
        #expect(diff.status == 0, "\(diff.output)")
        #expect(diff.output.contains("--- after chapter 1/asm/entry32.S\n+++ after chapter 2/asm/entry32.S\n@@ -"))
        // Code, not bookkeeping: no line markers on either side.
        let lines = diff.output.split(separator: "\n")
        #expect(!lines.contains { $0.dropFirst().hasPrefix("#line ") || $0.dropFirst().hasPrefix("/* chapters/") })
        #expect(lines.filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.count > 10)
    }

    @Test func aChapterThatDoesNotExistIsAClearError() throws {
        let diff = try runBook(["diff", "99"], in: repositoryRoot)
        #expect(diff.status == 1)
        #expect(diff.output.hasPrefix("error: there is no chapter 99 (chapters: 0, 1, "), "\(diff.output)")
    }
}

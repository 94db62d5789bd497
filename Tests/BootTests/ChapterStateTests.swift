import BookKit
import Foundation
import Testing

/// The chapters of the real book that end with a transcript of their boot.
let chaptersWithTranscripts: [Int] = {
    guard let book = try? Book.load(root: repositoryRoot) else { return [] }
    return book.chapters.filter { !Transcript.all(in: $0).isEmpty }.map(\.number)
}()

/// Every chapter's code state builds, boots in QEMU and prints exactly what
/// the chapter's transcript shows: the book cannot show output the code
/// does not produce.
@Suite struct ChapterStateTests {
    @Test func everyChapterAfterTheIntroductionShowsItsOutput() throws {
        let book = try Book.load(root: repositoryRoot)
        let numbers = book.chapters.map(\.number).filter { $0 > 0 }
        #expect(!numbers.isEmpty)
        #expect(chaptersWithTranscripts == numbers)
    }

    @Test(arguments: chaptersWithTranscripts)
    func chapterStateBootsAndPrintsItsTranscript(_ number: Int) throws {
        let state = try builtChapterState(number)
        let book = state.book
        let result = try state.boot(timeout: 20).run()
        #expect(result.succeeded, "\(result.summary)\n\(result.output)\(triageHint(for: result, of: state))")
        let chapter = try #require(book.chapters.first { $0.number == number })
        // Transcripts of a `book` command are checked by the tests of that command.
        for transcript in Transcript.all(in: chapter) where transcript.command == nil {
            let mismatch = transcript.mismatch(with: result.output)
            #expect(mismatch == nil, "\(mismatch ?? "")")
        }
    }
}

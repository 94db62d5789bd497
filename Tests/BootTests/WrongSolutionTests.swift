import BookKit
import Foundation
import Testing

/// The names of the book's wrong solutions (`solutions/*/wrong/*.md`).
let wrongSolutionNames: [String] = {
    guard let book = try? Book.load(root: repositoryRoot), let wrong = try? book.wrongSolutions() else { return [] }
    return wrong.map(\.name)
}()

/// A checker is only as good as the wrong answers it turns away: every
/// exercise checker has at least one plausible wrong solution, and each is
/// rejected with the report its verdict block names.
@Suite struct WrongSolutionTests {
    @Test func everyCheckerHasAWrongSolution() throws {
        let book = try Book.load(root: repositoryRoot)
        let checkers = Set(try book.allExercises().map(\.id))
        let wrong = try book.wrongSolutions()
        let answered = Set(wrong.map(\.id))
        #expect(checkers.subtracting(answered).isEmpty, "checkers without a wrong solution: \(checkers.subtracting(answered).sorted())")
        #expect(answered.subtracting(checkers).isEmpty, "wrong solutions of no checker: \(answered.subtracting(checkers).sorted())")
        for solution in wrong {
            let chapter = try #require(solution.solution.chapter)
            let folder = try #require(book.chapters.first { $0.number == chapter }).path
                .replacingOccurrences(of: "chapters/", with: "").replacingOccurrences(of: ".md", with: "")
            #expect(solution.path == "solutions/\(folder)/wrong/\(solution.name).md")
        }
    }

    @Test(arguments: wrongSolutionNames)
    func theCheckerRejectsIt(_ name: String) throws {
        let book = try Book.load(root: repositoryRoot)
        let wrong = try #require(try book.wrongSolutions().first { $0.name == name })
        let check = try #require(try book.allExercises().first { $0.id == wrong.id })
        let folder = temporaryWorkspace(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try ExerciseWorkspace.start(book: book, chapter: check.chapter, folder: folder)
        try workspace.apply(wrong.solution)
        let result = try #require(try workspace.check([check]).first)
        #expect(!result.passed, "\(wrong.path) passes the checker of exercise \(wrong.id)")
        #expect(wrong.missingVerdict(in: result.report).isEmpty,
                "the report lacks \(wrong.missingVerdict(in: result.report)):\n\(result.report)")
    }
}

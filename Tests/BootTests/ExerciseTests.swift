import BookKit
import Foundation
import Testing

/// The ids of every exercise with a checker in the real book.
let exerciseIDs: [String] = {
    guard let book = try? Book.load(root: repositoryRoot), let checks = try? book.allExercises() else { return [] }
    return checks.map(\.id)
}()

/// The chapters that have exercises with checkers.
let chaptersWithExercises: [Int] = {
    guard let book = try? Book.load(root: repositoryRoot), let checks = try? book.allExercises() else { return [] }
    return Array(Set(checks.map(\.chapter))).sorted()
}()

/// A fresh folder for a workspace.
func temporaryWorkspace(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("book-exercise-\(name)-\(UUID().uuidString)")
}

/// Every exercise's reference solution passes its checker, and the code as
/// the chapter leaves it fails every checker of the chapter, with the
/// documented kind of message.
@Suite struct ExerciseTests {
    @Test func everyChapterWithCodeHasCheckedExercisesAndEveryCheckerASolution() throws {
        let book = try Book.load(root: repositoryRoot)
        let solutions = try book.solutions()
        let checks = try book.allExercises()
        let withCode = book.chapters.map(\.number).filter { $0 > 0 }
        #expect(Set(checks.map(\.chapter)) == Set(withCode))
        #expect(Set(solutions.keys) == Set(checks.map(\.id)), "every checker has a solution and every solution a checker")
        for solution in solutions.values {
            let chapter = try #require(book.chapters.first { $0.number == solution.chapter })
            let folder = (chapter.path as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "")
            #expect(solution.path == "solutions/\(folder)/\(solution.id).md")
        }
    }

    /// Every exercise of a chapter with code, numbered N.1, N.2, … in its
    /// "Exercises" list, has a checker with that id. (Chapter 0's practise
    /// the book's tool on the book itself; there is no code to check.)
    @Test func everyExerciseHasAChecker() throws {
        let book = try Book.load(root: repositoryRoot)
        for chapter in book.chapters where chapter.number > 0 {
            let lines = chapter.text.components(separatedBy: "\n")
            guard let start = lines.firstIndex(of: "## Exercises") else {
                Issue.record("\(chapter.path) has no \"## Exercises\" section")
                continue
            }
            let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
            let numbers = lines[(start + 1)..<end].compactMap { line -> Int? in
                guard let dot = line.firstIndex(of: "."), line[line.index(after: dot)...].hasPrefix(" ") else { return nil }
                return Int(line[..<dot])
            }
            let ids = try ExerciseCheck.all(in: chapter).map(\.id)
            #expect(ids == numbers.map { "\(chapter.number).\($0)" }, "\(chapter.path): exercises \(numbers), checkers \(ids)")
        }
    }

    @Test(arguments: exerciseIDs)
    func theReferenceSolutionPasses(_ id: String) throws {
        let book = try Book.load(root: repositoryRoot)
        let check = try #require(try book.allExercises().first { $0.id == id })
        let solution = try #require(try book.solutions()[id])
        let folder = temporaryWorkspace(id)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try ExerciseWorkspace.start(book: book, chapter: check.chapter, folder: folder)
        try workspace.apply(solution)
        let results = try workspace.check([check])
        #expect(results.count == 1)
        let report = results.map(\.report).joined()
        #expect(results.allSatisfy { $0.passed }, "\(report)")
    }

    @Test(arguments: chaptersWithExercises)
    func theUnmodifiedStateFailsEveryChecker(_ chapter: Int) throws {
        // The state the chapter's transcript test builds: a workspace
        // started from the chapter and left alone is the same code.
        let state = try builtChapterState(chapter)
        let checks = try state.book.exercises(inChapter: chapter)
        for result in try ExerciseWorkspace.run(checks, on: state) {
            #expect(!result.passed, "exercise \(result.check.id) passes without any change")
            let report = result.report
            #expect(report.hasPrefix("exercise \(result.check.id): FAILED (checker at chapters/"))
            #expect(result.problems.allSatisfy {
                $0.hasPrefix("missing line: the console never showed\n")
                    || $0.hasPrefix("missing line: the serial port never showed\n")
                    || $0.hasPrefix("unexpected line: console line ")
                    || $0.hasPrefix("exit status: QEMU ")
                    || $0.hasPrefix("fault address: ")
                    || $0.hasPrefix("fault CR2: ")
                    || $0.hasPrefix("line ends: ")
                    || $0.hasPrefix("debug: ")
            }, "\(report)")
            let output = result.check.linux || result.check.output == .serial ? "serial port" : "console"
            #expect(report.contains(result.boot.output.isEmpty ? "the \(output) showed nothing" : "the \(output) showed:\n    | "))
            #expect(result.check.isDebugSession == report.contains("  the debug session showed:\n    | "))
        }
    }

    @Test func aChapterThatDoesNotExistIsAClearError() throws {
        let book = try copyOfTheBook()
        let run = try runBook(["exercise", "99"], in: book.root)
        #expect(run.status == 1)
        #expect(run.output.contains("error: there is no chapter 99 (chapters: 0, 1, 2,"))
        let check = try runBook(["exercise", "99", "--check"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("error: there is no chapter 99"))
        let zero = try runBook(["exercise", "0", "--start"], in: book.root)
        #expect(zero.status == 1)
        #expect(zero.output.contains("error: chapter 0 adds no code; exercises start with chapter 1"))
        // The subcommands say the same.
        for arguments in [["exercise", "run", "99"], ["exercise", "check", "99"]] {
            let result = try runBook(arguments, in: book.root)
            #expect(result.status == 1 && result.output.contains("error: there is no chapter 99"), "\(arguments): \(result.output)")
        }
        let startZero = try runBook(["exercise", "start", "0"], in: book.root)
        #expect(startZero.status == 1 && startZero.output.contains("error: chapter 0 adds no code; exercises start with chapter 1"), "\(startZero.output)")
    }

    @Test func exerciseBootsTheStateAndComparesItWithTheTranscript() throws {
        let book = try copyOfTheBook()
        let run = try runBook(["exercise", "2"], in: book.root)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("book: the output matches the transcript at chapters/02-"))
        #expect(run.output.contains("exercises with a checker: 2.1"))
    }

    @Test func startCheckAndTheSolutionThroughTheCommand() throws {
        let book = try copyOfTheBook()
        let start = try runBook(["exercise", "start", "1"], in: book.root)
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output.contains("copied chapters 0 to 1 into exercises/01/chapters"))
        let copied = try FileManager.default.contentsOfDirectory(atPath: book.root.appendingPathComponent("exercises/01/chapters").path)
        #expect(copied.filter { $0.hasSuffix(".md") }.sorted().map { String($0.prefix(3)) } == ["00-", "01-"])
        // The pictures come along, so that the workspace weaves like the book.
        #expect(copied.contains("images"))

        let again = try runBook(["exercise", "start", "1"], in: book.root)
        #expect(again.status == 1)
        #expect(again.output.contains("exists already"))

        let failing = try runBook(["exercise", "check", "1", "2"], in: book.root)
        #expect(failing.status == 1)
        #expect(failing.output.contains("""
            exercise 1.2: FAILED (checker at exercises/01/chapters/01-the-machine-at-hand-off.md:
            """), "the checker's line in the workspace's own copy")
        #expect(failing.output.contains("""
              missing line: the console never showed
                  swiftboot: info at 0x00009500
                after the line
                  swiftboot: hello from 32-bit protected mode
            """))
        #expect(failing.output.hasSuffix("1 of 1 exercise(s) failed\n"))

        let unknown = try runBook(["exercise", "check", "1", "1.7"], in: book.root)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("error: chapter 1 has no exercise 1.7 with a checker (it has: 1.1, 1.2)"))

        let solved = try runBook(["exercise", "start", "1", "--force", "--solution", "1.2"], in: book.root)
        #expect(solved.status == 0, "\(solved.output)")
        #expect(solved.output.contains("applied the reference solution solutions/01-the-machine-at-hand-off/1.2.md"))
        let passing = try runBook(["exercise", "check", "1", "1.2"], in: book.root)
        #expect(passing.status == 0, "\(passing.output)")
        #expect(passing.output == "exercise 1.2: passed\nall 1 exercise(s) passed\n")
        // The spelling from before the subcommands does the same.
        let older = try runBook(["exercise", "1", "--check", "1.2"], in: book.root)
        #expect(older.status == 0 && older.output == passing.output, "\(older.output)")
        // The book's own chapters are untouched.
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        #expect(try String(contentsOf: book.root.appendingPathComponent("asm/entry32.S"), encoding: .utf8).contains("info at") == false)
    }

    @Test func aWorkspaceThatDoesNotBuildNamesItsChapterLine() throws {
        let book = try copyOfTheBook()
        let folder = temporaryWorkspace("broken")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runBook(["exercise", "start", "4", "--workspace", folder.path], in: book.root).status == 0)
        let chapter = folder.appendingPathComponent("chapters/04-the-first-swift.md")
        var lines = try String(contentsOf: chapter, encoding: .utf8).components(separatedBy: "\n")
        let entry = try #require(lines.firstIndex { $0.contains("@_cdecl(\"swift_main\")") })
        let body = try #require(lines[entry...].firstIndex { $0.hasSuffix("{") })
        lines.insert("    let broken: Int = \"swiftboot\"", at: body + 1)
        try lines.joined(separator: "\n").write(to: chapter, atomically: true, encoding: .utf8)

        let check = try runBook(["exercise", "check", "4", "--workspace", folder.path], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains(
            "\(folder.path)/chapters/04-the-first-swift.md:\(body + 2):23: error: cannot convert value of type 'String' to specified type 'Int'"),
            "\(check.output)")

        // Inside the book's root, the workspace's path is relative.
        #expect(try runBook(["exercise", "start", "4"], in: book.root).status == 0)
        try lines.joined(separator: "\n").write(
            to: book.root.appendingPathComponent("exercises/04/chapters/04-the-first-swift.md"), atomically: true, encoding: .utf8)
        let relative = try runBook(["exercise", "check", "4"], in: book.root)
        #expect(relative.status == 1)
        #expect(relative.output.contains("exercises/04/chapters/04-the-first-swift.md:\(body + 2):23: error: cannot convert"), "\(relative.output)")
        #expect(!relative.output.contains("/exercises/04/chapters/"))
    }

    @Test func checkingWithoutAWorkspaceSaysHowToStartOne() throws {
        let book = try copyOfTheBook()
        let check = try runBook(["exercise", "check", "4"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("error: no exercise workspace at \(book.root.path)/exercises/04: run `book exercise start 4` first"))
    }
}

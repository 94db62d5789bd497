import ArgumentParser
import BookKit
import Foundation

struct Exercise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a chapter's code state, start a workspace for its exercises, or check them.",
        discussion: """
            Without a flag: build the code as it stands after chapter N, boot it and compare the debug \
            console with the chapter's transcript. --start copies chapters 0..N into a workspace \
            (exercises/NN under the book's root, or --workspace DIR), where you do the exercises without \
            touching the book's own files. --check builds and boots the workspace and checks it against \
            the checkers of chapter N's exercises (the ```exercise blocks), or only against exercise ID.
            """
    )

    @OptionGroup var options: BookOptions

    @Argument(help: "The chapter's number.")
    var chapter: Int

    @Argument(help: "With --check: the exercise to check (4.2, or just 2); all of chapter N's when left out.")
    var id: String?

    @Flag(help: "Copy chapters 0..N into the workspace.")
    var start = false

    @Flag(help: "Build and boot the workspace and check the exercises.")
    var check = false

    @Option(help: "The workspace folder (default: exercises/NN under the book's root).")
    var workspace: String?

    @Option(help: "With --start: apply the reference solution of this exercise (from solutions/), or a wrong solution by its name (from solutions/NN-x/wrong/), to the copy.")
    var solution: String?

    @Flag(help: "With --start: replace a workspace that exists (your edits there are lost).")
    var force = false

    @Flag(name: .shortAndLong, help: "Print every build command.")
    var verbose = false

    func validate() throws {
        if start && check { throw ValidationError("--start and --check do different things; give one of them") }
        if id != nil && !check { throw ValidationError("an exercise id goes with --check") }
        if force && !start { throw ValidationError("--force goes with --start") }
        if solution != nil && !start { throw ValidationError("--solution goes with --start") }
    }

    func run() throws {
        var passed = true
        try reportingErrors {
            var book = try options.loadBook()
            // Run inside a workspace (exercises/NN), the book is the one
            // around it.
            if book.root.deletingLastPathComponent().lastPathComponent == ExerciseWorkspace.defaultFolder,
               let outer = Book.findRoot(from: book.root.deletingLastPathComponent().deletingLastPathComponent()) {
                book = try Book.load(root: outer)
            }
            let checks = try book.exercises(inChapter: chapter)
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let folder = workspace.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
                ?? ExerciseWorkspace.defaultLocation(of: book, chapter: chapter)
            let shown = Self.relativePath(of: folder, from: cwd)
            if start {
                let space = try ExerciseWorkspace.start(book: book, chapter: chapter, folder: folder, force: force)
                print("copied chapters 0 to \(chapter) into \(shown)/chapters")
                if var id = solution {
                    if !id.contains(".") { id = "\(chapter).\(id)" }
                    if let found = try book.solutions()[id], found.chapter == chapter {
                        try space.apply(found)
                        print("applied the reference solution \(found.path)")
                    } else if let wrong = try book.wrongSolutions().first(where: { $0.name == id }), wrong.solution.chapter == chapter {
                        // A mistake kept to show what its checker says.
                        try space.apply(wrong.solution)
                        print("applied the wrong solution \(wrong.path); --check shows how its checker rejects it")
                    } else {
                        let wrong = try book.wrongSolutions().filter { $0.solution.chapter == chapter }.map(\.name)
                        throw DiagnosticError([.error(
                            "chapter \(chapter) has no reference solution \(id) in \(ExerciseSolution.folder)/"
                                + (wrong.isEmpty ? "" : " (its wrong solutions: \(wrong.joined(separator: ", ")))"), at: nil)])
                    }
                }
                printList(checks)
                print("edit the chapters there, then run `book exercise \(chapter) --check\(workspace.map { " --workspace \($0)" } ?? "")`")
            } else if check {
                let selected = try select(checks)
                let space = ExerciseWorkspace(folder: folder, chapter: chapter)
                let results: [ExerciseResult]
                do {
                    results = try space.check(selected, build: verbose ? { print($0) } : nil)
                } catch var error as ToolFailure {
                    error.output = ExerciseWorkspace.relabel(error.output, prefix: shown)
                    throw error
                } catch let error as DiagnosticError {
                    throw DiagnosticError(error.diagnostics.map { Self.relabel($0, prefix: shown) })
                }
                // The workspace's chapters: the checker's line, the triage's lines.
                for result in results { print(ExerciseWorkspace.relabel(result.report, prefix: shown), terminator: "") }
                let failed = results.filter { !$0.passed }.count
                print(failed == 0 ? "all \(results.count) exercise(s) passed" : "\(failed) of \(results.count) exercise(s) failed")
                passed = failed == 0
            } else {
                passed = try bootAndCompare(book)
                printList(checks)
            }
        }
        if !passed { throw ExitCode.failure }
    }

    /// The checkers `--check [ID]` asks for.
    func select(_ checks: [ExerciseCheck]) throws -> [ExerciseCheck] {
        guard !checks.isEmpty else {
            throw DiagnosticError([.error("chapter \(chapter) has no exercise with a checker", at: nil)])
        }
        guard var id else { return checks }
        if !id.contains(".") { id = "\(chapter).\(id)" }
        guard let found = checks.first(where: { $0.id == id }) else {
            let known = checks.map(\.id).joined(separator: ", ")
            throw DiagnosticError([.error("chapter \(chapter) has no exercise \(id) with a checker (it has: \(known))", at: nil)])
        }
        return [found]
    }

    /// Builds chapter N's state, boots it and compares with the transcript.
    func bootAndCompare(_ book: Book) throws -> Bool {
        let state = CodeState(book: book, chapter: chapter)
        report(try state.build(log: verbose ? { print($0) } : nil))
        let result = try state.boot().run()
        FileHandle.standardOutput.write(Data(result.output.utf8))
        let chapterText = book.chapters.first { $0.number == chapter }!
        let transcripts = Transcript.all(in: chapterText).filter { $0.command == nil }
        var passed = result.succeeded
        print("book: \(result.summary)")
        if transcripts.isEmpty {
            print("book: chapter \(chapter) shows no boot transcript to compare with")
        }
        for transcript in transcripts {
            if let mismatch = transcript.mismatch(with: result.output) {
                print(mismatch)
                passed = false
            } else {
                print("book: the output matches the transcript at \(transcript.location)")
            }
        }
        return passed
    }

    func printList(_ checks: [ExerciseCheck]) {
        guard !checks.isEmpty else { return }
        print("exercises with a checker: \(checks.map(\.id).joined(separator: ", "))")
    }

    static func relativePath(of url: URL, from base: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = base.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func relabel(_ diagnostic: Diagnostic, prefix: String) -> Diagnostic {
        var copy = diagnostic
        if var location = copy.location, location.file.hasPrefix("chapters/") {
            location.file = prefix + "/" + location.file
            copy.location = location
        }
        copy.notes = copy.notes.map { relabel($0, prefix: prefix) }
        return copy
    }
}

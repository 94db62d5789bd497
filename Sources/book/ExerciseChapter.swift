import BookKit
import Foundation

/// Chapter N and its exercises, in the book around the current folder:
/// what `book exercise`'s subcommands do.
struct ExerciseChapter {
    let book: Book
    let chapter: Int
    /// The chapter's exercises that have a checker.
    let checks: [ExerciseCheck]

    init(_ options: Exercise.ChapterOptions) throws {
        var book = try options.options.loadBook()
        // Run inside a workspace (exercises/NN), the book is the one
        // around it.
        if book.root.deletingLastPathComponent().lastPathComponent == ExerciseWorkspace.defaultFolder,
           let outer = Book.findRoot(from: book.root.deletingLastPathComponent().deletingLastPathComponent()) {
            book = try Book.load(root: outer)
        }
        self.book = book
        chapter = options.chapter
        checks = try book.exercises(inChapter: chapter)
    }

    /// Copies chapters 0..N into the workspace, and applies `solution`.
    func start(workspace: String?, solution: String?, force: Bool) throws {
        let (folder, shown) = locate(workspace)
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
        printList()
        print("edit the chapters there, then run `book exercise check \(chapter)\(workspace.map { " --workspace \($0)" } ?? "")`")
    }

    /// Builds and boots the workspace and checks exercise `id` (all of
    /// the chapter's when nil); true when they all passed.
    func check(id: String?, workspace: String?, verbose: Bool) throws -> Bool {
        let (folder, shown) = locate(workspace)
        let selected = try select(id)
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
        return failed == 0
    }

    /// Builds chapter N's state, boots it and compares with the
    /// transcript; true when they agree.
    func bootAndCompare(verbose: Bool) throws -> Bool {
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
        printList()
        return passed
    }

    /// The workspace folder (`--workspace DIR`, or exercises/NN), and its
    /// path as shown: relative to the current folder when inside it.
    private func locate(_ workspace: String?) -> (folder: URL, shown: String) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = workspace.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
            ?? ExerciseWorkspace.defaultLocation(of: book, chapter: chapter)
        let path = folder.standardizedFileURL.path, prefix = cwd.standardizedFileURL.path + "/"
        return (folder, path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path)
    }

    /// The checkers `check` asks for.
    private func select(_ id: String?) throws -> [ExerciseCheck] {
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

    private func printList() {
        guard !checks.isEmpty else { return }
        print("exercises with a checker: \(checks.map(\.id).joined(separator: ", "))")
    }

    /// `diagnostic` with its chapter paths inside the workspace `prefix`.
    private static func relabel(_ diagnostic: Diagnostic, prefix: String) -> Diagnostic {
        var copy = diagnostic
        if var location = copy.location, location.file.hasPrefix("chapters/") {
            location.file = prefix + "/" + location.file
            copy.location = location
        }
        copy.notes = copy.notes.map { relabel($0, prefix: prefix) }
        return copy
    }
}

import Foundation

/// A reader's copy of chapters 0..N in a folder of its own (by default
/// `exercises/NN/` under the book's root, which git ignores), where the
/// exercises of chapter N are done without touching the book's files. The
/// folder is a book root of its own: `book run` inside it boots the copy.
public struct ExerciseWorkspace: Sendable {
    public var folder: URL
    public var chapter: Int

    public init(folder: URL, chapter: Int) {
        self.folder = folder
        self.chapter = chapter
    }

    public static let defaultFolder = "exercises"

    /// `exercises/NN` under the book's root.
    public static func defaultLocation(of book: Book, chapter: Int) -> URL {
        book.root.appendingPathComponent(defaultFolder).appendingPathComponent(String(format: "%02d", chapter))
    }

    public var chaptersFolder: URL { folder.appendingPathComponent("chapters") }

    public var exists: Bool { FileManager.default.fileExists(atPath: chaptersFolder.path) }

    /// Copies chapters 0..N of `book` into the workspace. Refuses to
    /// overwrite a workspace that exists unless `force`.
    @discardableResult
    public static func start(book: Book, chapter: Int, folder: URL, force: Bool = false) throws -> ExerciseWorkspace {
        let workspace = ExerciseWorkspace(folder: folder, chapter: chapter)
        let chapters = try book.codeChapters(upTo: chapter)
        let manager = FileManager.default
        if workspace.exists {
            guard force else {
                throw DiagnosticError([.error(
                    "\(folder.path) exists already: edit its chapters, check them with `book exercise check \(chapter)`, or pass --force to start again (your edits there are then lost)",
                    at: nil)])
            }
            try manager.removeItem(at: folder)
        }
        try manager.createDirectory(at: workspace.chaptersFolder, withIntermediateDirectories: true)
        for source in chapters {
            let name = (source.path as NSString).lastPathComponent
            try source.text.write(to: workspace.chaptersFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        // The pictures the chapters show, so that the copy weaves too.
        let images = book.root.appendingPathComponent("chapters").appendingPathComponent(ChapterImage.folder)
        if manager.fileExists(atPath: images.path) {
            try manager.copyItem(at: images, to: workspace.chaptersFolder.appendingPathComponent(ChapterImage.folder))
        }
        return workspace
    }

    /// The workspace's chapters as a book.
    public func load() throws -> Book {
        guard exists else {
            throw DiagnosticError([.error("no exercise workspace at \(folder.path): run `book exercise start \(chapter)` first", at: nil)])
        }
        let book = try Book.load(root: folder)
        guard book.chapters.contains(where: { $0.number == chapter }) else {
            throw DiagnosticError([.error("the workspace \(folder.path) has no chapter \(chapter)", at: nil)])
        }
        return book
    }

    /// Appends `solution` to the workspace's copy of chapter N.
    public func apply(_ solution: ExerciseSolution) throws {
        let book = try load()
        guard let target = book.chapters.first(where: { $0.number == chapter }) else { return }
        let url = folder.appendingPathComponent(target.path)
        try solution.applied(to: target.text).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Builds the workspace's code (its whole book: chapters 0..N) into
    /// the workspace, boots it once for every checker and decides.
    public func check(_ checks: [ExerciseCheck], build log: ((String) -> Void)? = nil) throws -> [ExerciseResult] {
        let copy = try load()
        let state = CodeState(book: copy)
        try state.build(log: log)
        // The checkers are the book's; the reader looks for them in the copy.
        let copied = (try? copy.exercises(inChapter: chapter)) ?? []
        return try Self.run(checks, on: state).map { result in
            var result = result
            result.checkerLocation = copied.first { $0.id == result.check.id }?.location
            return result
        }
    }

    /// Boots `state` for every checker (once for checkers that boot the
    /// same way) and decides. A failed boot that ended in a triple fault or
    /// ran into the timeout is booted once more with QEMU's exception log,
    /// as `book run` does, and the result carries that triage. A checker
    /// with `break:` runs a GDB session instead (`ExerciseDebugRun`).
    public static func run(_ checks: [ExerciseCheck], on state: CodeState) throws -> [ExerciseResult] {
        var boots: [String: QemuBoot.Result] = [:]
        return try checks.map { check in
            let boot = try check.boot(of: state)
            if check.isDebugSession { return try ExerciseDebugRun.run(check, boot: boot, on: state) }
            let key = boot.arguments.joined(separator: "\u{0}") + "\u{0}\(boot.timeout)"
            var result = try boots[key] ?? boot.run()
            boots[key] = result
            let log = state.recipe.output.appendingPathComponent("qemu-int-\(check.id).log")
            // The function the fault's RIP lies in, and the symbol its CR2
            // does, when the checker asks: from swiftboot's own report, or
            // before there is one (no IDT), from QEMU's exception log of a
            // second boot.
            var triage: FaultTriage?
            let wantsFault = check.ripIn != nil || check.cr2In != nil
            if wantsFault, ExerciseCheck.lastRIP(in: result.output) == nil, FaultTriage.isNeeded(for: result), !result.timedOut {
                triage = try FaultTriage.run(boot, image: state.recipe.elf64, log: log)
            }
            let lookup = wantsFault ? try AddressLookup(image: state.recipe.elf64) : nil
            if check.output == .serial, !check.linux, let serial = boot.serialLog {
                result.output = (try? String(contentsOf: serial, encoding: .utf8)) ?? ""
            }
            let problems = check.problems(
                with: result, fault: triage?.exceptions.first,
                function: { address in (try? lookup?.symbol(containing: address)) ?? nil },
                pageFaultCR2: triage?.exceptions.first { $0.cr2 != nil }?.cr2,
                symbol: { address in (try? lookup?.symbol(at: address)) ?? nil },
                swiftName: AddressLookup.swiftName(of:))
            var verdict = ExerciseResult(check: check, boot: result, problems: problems)
            if !verdict.passed, check.exit != .timeout, FaultTriage.isNeeded(for: result) {
                verdict.triage = try triage ?? FaultTriage.run(boot, image: state.recipe.elf64, log: log)
            }
            return verdict
        }
    }

    /// Prefixes the chapter paths that diagnostics print (`chapters/...`,
    /// relative to the workspace) with `prefix`, so that they name the
    /// workspace's files and not the book's.
    public static func relabel(_ text: String, prefix: String) -> String {
        guard !prefix.isEmpty else { return text }
        let pattern = try! NSRegularExpression(pattern: "(^|[\\s\"'(])chapters/", options: [.anchorsMatchLines])
        let range = NSRange(text.startIndex..., in: text)
        let template = "$1" + NSRegularExpression.escapedTemplate(for: prefix.hasSuffix("/") ? prefix : prefix + "/") + "chapters/"
        return pattern.stringByReplacingMatches(in: text, range: range, withTemplate: template)
    }
}

/// One checker's verdict on one boot.
public struct ExerciseResult: Sendable {
    public var check: ExerciseCheck
    public var boot: QemuBoot.Result
    public var problems: [String]
    /// QEMU's exception log of a second boot, after a triple fault or a
    /// timeout that the checker did not ask for.
    public var triage: FaultTriage?
    /// Where the reader finds the checker: its line in the workspace's copy
    /// of the chapter, when the copy still has it; else the book's.
    public var checkerLocation: SourceLocation?
    /// The GDB session's report, for a checker with `break:`.
    public var debugReport: DebugSession.BatchReport?

    public init(check: ExerciseCheck, boot: QemuBoot.Result, problems: [String]) {
        self.check = check
        self.boot = boot
        self.problems = problems
    }

    public var passed: Bool { problems.isEmpty }

    /// `exercise 4.2: passed` or the problems and the console.
    public var report: String {
        guard !passed else { return "exercise \(check.id): passed\n" }
        var text = "exercise \(check.id): FAILED (checker at \(checkerLocation ?? check.location))\n"
        for problem in problems { text += "  \(problem)\n" }
        var lines = boot.output.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let what = check.linux || check.output == .serial ? "serial port" : "console"
        text += lines.isEmpty ? "  the \(what) showed nothing\n" : "  the \(what) showed:\n"
        for line in lines { text += "    | \(line)\n" }
        if let triage { text += triage.description }
        if let debugReport { text += Self.shown(debugReport) }
        return text
    }
}

extension ExerciseResult {
    /// The first lines of a debug session's report (a `monitor info tlb`
    /// answer runs to thousands).
    static func shown(_ report: DebugSession.BatchReport, limit: Int = 40) -> String {
        var lines = report.description.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var text = "  the debug session showed:\n"
        for line in lines.prefix(limit) { text += "    | \(line)\n" }
        if lines.count > limit { text += "    | … \(lines.count - limit) more lines\n" }
        return text
    }
}

extension Book {
    /// Chapters 0..N for a chapter that has code: chapter 0 adds none, and
    /// a number with no chapter is an error.
    func codeChapters(upTo chapter: Int) throws -> [Chapter] {
        let chapters = try self.chapters(upTo: chapter)
        guard chapter > 0 else {
            throw DiagnosticError([.error("chapter \(chapter) adds no code; exercises start with chapter 1", at: nil)])
        }
        return chapters
    }

    /// The exercise checkers of chapter `number`.
    public func exercises(inChapter number: Int) throws -> [ExerciseCheck] {
        let chapters = try codeChapters(upTo: number)
        guard let chapter = chapters.first(where: { $0.number == number }) else { return [] }
        return try ExerciseCheck.all(in: chapter)
    }

    /// Every exercise checker of the book, in chapter order.
    public func allExercises() throws -> [ExerciseCheck] {
        try chapters.flatMap { try ExerciseCheck.all(in: $0) }
    }
}

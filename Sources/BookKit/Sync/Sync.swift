import Foundation

/// One edit of a generated file, moved back into its chapter.
public struct SyncedEdit: Hashable, Sendable, CustomStringConvertible {
    /// The generated file and the line (1-based, header included) where the
    /// edit starts in it.
    public var file: String
    public var fileLine: Int
    /// The chapter and the first chapter line the edit replaces or, for
    /// added lines, the line they are inserted before.
    public var chapter: String
    public var chapterLine: Int
    public var removed: Int
    public var added: Int
    public var target: ChunkTarget

    public var description: String {
        let what: String
        switch (removed, added) {
        case (0, let added): what = "\(added) line(s) added"
        case (let removed, 0): what = "\(removed) line(s) removed"
        case (let removed, let added): what = "\(removed) line(s) replaced by \(added)"
        }
        return "\(file):\(fileLine): \(what) -> \(chapter):\(chapterLine) (\(target))"
    }
}

/// What `book sync` will do: the chapters with the edits moved in, and the
/// files they tangle into.
public struct SyncPlan {
    public var edits: [SyncedEdit]
    /// The new text of every chapter that changes, by path, with the line
    /// endings the chapter had on disk.
    public var chapterTexts: [String: String]
    /// The generated files whose edits were moved into the chapters: their
    /// re-tangled version may overwrite them.
    public var syncedFiles: Set<String>
    /// The book with the new chapters, and its tangle.
    public var book: Book
    public var files: [GeneratedFile]

    /// Nothing to do: no generated file was edited. (An edit that changes
    /// no line, like a lost newline at the end, changes no chapter but
    /// still has its file rewritten.)
    public var isEmpty: Bool { chapterTexts.isEmpty && syncedFiles.isEmpty }
}

extension Book {
    /// Finds the hand edits of the generated files under `root` and maps each
    /// onto the lines of the code block that produced it, through the line
    /// origins of the tangle (the same line markers the compilers see).
    /// Throws, with every problem found, when any edit cannot be attributed
    /// to exactly one place; then nothing may be written.
    public func planSync() throws -> SyncPlan {
        try planSync { path in FileManager.default.contents(atPath: root.appendingPathComponent(path).path) }
    }

    /// `planSync` with the generated files read by `read` (a path relative
    /// to the root; nil when missing).
    func planSync(reading read: (String) -> Data?) throws -> SyncPlan {
        var log = DiagnosticLog()
        let graph = ChunkGraph(chapters: chapters, log: &log)
        let tangled = Tangler(graph: graph).tangle(recordingOrigins: true, log: &log)
        if log.hasErrors {
            throw DiagnosticError(log.all.filter { $0.severity == .error } + [
                .note("book sync maps edits through the chapters; fix these errors first", at: nil),
            ])
        }

        var planner = SyncPlanner(book: self, tangled: tangled)
        planner.collectEdits(reading: read)
        if !planner.errors.isEmpty { throw DiagnosticError(planner.errors) }
        return try planner.plan()
    }

    /// Moves the hand edits of generated files into the chapters, then
    /// tangles again, all in one batch of writes. Returns the plan (empty
    /// when there was nothing to sync) and what changed on disk.
    @discardableResult
    public func sync(dryRun: Bool = false) throws -> (plan: SyncPlan, changes: [OutputTree.Change]) {
        let plan = try planSync()
        guard !plan.isEmpty, !dryRun else { return (plan, []) }
        var batch = FileBatch()
        for path in plan.chapterTexts.keys.sorted() {
            batch.write(plan.chapterTexts[path]!, to: root.appendingPathComponent(path))
        }
        let changes = try OutputTree(root: root).stage(plan.files, accepting: plan.syncedFiles, into: &batch)
        try batch.commit()
        return (plan, changes)
    }
}

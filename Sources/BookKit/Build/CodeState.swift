import Foundation

/// The code as it stands after a chapter (or after the whole book): where it
/// is tangled and where it is built.
public struct CodeState: Sendable {
    public var book: Book
    /// The last chapter included, or nil for the whole book.
    public var chapter: Int?

    public init(book: Book, chapter: Int? = nil) {
        self.book = book
        self.chapter = chapter
    }

    /// The whole book tangles into the book's root; chapter N's state into
    /// `build/states/NN`.
    public var tree: URL {
        guard let chapter else { return book.root }
        return book.root.appendingPathComponent("build/states").appendingPathComponent(String(format: "%02d", chapter))
    }

    public var recipe: BuildRecipe {
        BuildRecipe(tree: tree, output: tree.appendingPathComponent("build"))
    }

    /// Whether the state after `chapter` (nil: the whole book) is tangled
    /// and nothing it read or wrote has changed since, found from the
    /// chapters' file names and `stat` alone, before reading any chapter.
    public static func isTangled(root: URL, chapter: Int?) -> Bool {
        let state = CodeState(book: Book(root: root, chapters: []), chapter: chapter)
        guard let stamp = RunStamp.load(from: state.tree), let names = Book.chapterFileNames(root: root) else { return false }
        // The chapters `Book.load` and `chapters(upTo:)` would take, in
        // order; a name `Book.load` rejects leaves it to report the error.
        let numbered = names.map { (number: Chapter.number(fromFileName: $0), path: "chapters/\($0)") }
        let numbers = numbered.compactMap(\.number)
        guard numbers.count == numbered.count, Set(numbers).count == numbers.count else { return false }
        let chapters = numbered.filter { chapter == nil || $0.number! <= chapter! }.sorted { $0.number! < $1.number! }
        return stamp == RunStamp.current(
            chapterPaths: chapters.map(\.path), bookRoot: root, outputs: stamp.outputs, tree: state.tree, upTo: chapter)
    }

    /// Tangles this state to disk; returns what changed and the warnings.
    /// Files that the chapters changed since the last run cannot reach are
    /// left alone (see `IncrementalTangle`); `force` tangles everything.
    @discardableResult
    public func tangle(
        force: Bool = false, parsedChapters: ParsedChapterLifetime = .freedAfterUse
    ) throws -> (changes: [OutputTree.Change], warnings: [Diagnostic]) {
        let chapters = try book.chapters(upTo: chapter)
        let stamp = force ? nil : RunStamp.load(from: tree)
        let current = RunStamp.current(chapters: chapters, bookRoot: book.root, outputs: stamp?.outputs ?? [], tree: tree, upTo: chapter)
        // Nothing read or written since the last run: nothing to do.
        if let stamp, stamp == current {
            return ([], [])
        }
        let incremental = IncrementalTangle(stamp: stamp, current: current)
        var reusing: (@Sendable (String, Set<String>) -> Bool)?
        if let incremental {
            reusing = { path, reached in incremental.canReuse(path, reaching: reached) }
        }
        let (files, reused, warnings) = try ParsedBook(book, upTo: chapter).tangle(
            annotated: true, reusing: reusing, parsedChapters: parsedChapters)
        let changes = try OutputTree(root: tree).write(files, keeping: Set(reused), force: force)
        var newStamp = RunStamp.current(
            chapters: chapters, bookRoot: book.root, outputs: files.map { $0.path } + reused, tree: tree, upTo: chapter)
        for file in files { newStamp.uses[file.path] = file.chapters }
        for path in reused { newStamp.uses[path] = stamp?.uses[path] }
        try newStamp.save(to: tree)
        return (changes, warnings)
    }

    /// Tangles and builds; returns the warnings.
    @discardableResult
    public func build(log: ((String) -> Void)? = nil) throws -> [Diagnostic] {
        let warnings = try tangle().warnings
        do {
            try recipe.build(log: log)
        } catch var failure as ToolFailure {
            // Whatever still names a generated file names its chapter line.
            let chapters = Dictionary(book.chapters.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
            failure.output = DiagnosticRemapper(tree: tree, chapters: chapters).remapAll(failure.output)
            throw failure
        }
        return warnings
    }
}

import Foundation

/// The book on disk: its root folder and its chapters in order.
public struct Book: Sendable {
    public var root: URL
    public var chapters: [Chapter]
    /// Reference pages after the chapters (`appendices/*.md`: the glossary,
    /// the references). They hold no code and are only woven.
    public var appendices: [Appendix]

    public init(root: URL, chapters: [Chapter], appendices: [Appendix] = []) {
        self.root = root
        self.chapters = chapters.sorted { $0.number < $1.number }
        self.appendices = appendices
    }

    /// The folder of the appendices, and the order they appear in.
    public static let appendixFolder = "appendices"
    public static let appendixOrder = ["glossary.md", "references.md"]

    /// Reads `chapters/NN-slug.md` under `root`.
    public static func load(root: URL) throws -> Book {
        let folder = root.appendingPathComponent("chapters")
        guard let names = chapterFileNames(root: root) else {
            throw DiagnosticError([.error("no chapters folder at \(folder.path)", at: nil)])
        }
        var log = DiagnosticLog()
        var files: [(name: String, path: String, number: Int)] = []
        var byNumber: [Int: String] = [:]
        for name in names {
            let path = "chapters/\(name)"
            guard let number = Chapter.number(fromFileName: name) else {
                log.report(.error("chapter file name must look like NN-slug.md", at: SourceLocation(file: path, line: 1)))
                continue
            }
            if let other = byNumber[number] {
                log.report(.error(
                    "two chapters are numbered \(number)", at: SourceLocation(file: path, line: 1),
                    notes: [.note("the other one", at: SourceLocation(file: other, line: 1))]
                ))
                continue
            }
            byNumber[number] = path
            files.append((name, path, number))
        }
        // Read and decode the files on all cores; report in name order.
        let read: @Sendable ((name: String, path: String, number: Int)) -> Result<Chapter, DiagnosticError> = { file in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file.name).path) else {
                return .failure(DiagnosticError([.error("cannot read the chapter", at: SourceLocation(file: file.path, line: 1))]))
            }
            return Chapter.decode(data, path: file.path)
                .map { Chapter(path: file.path, number: file.number, text: $0) }
                .mapError { DiagnosticError([$0]) }
        }
        var chapters: [Chapter] = []
        for result in Parallel.map(files, read) {
            switch result {
            case .success(let chapter): chapters.append(chapter)
            case .failure(let error): for diagnostic in error.diagnostics { log.report(diagnostic) }
            }
        }
        try log.throwIfErrors()
        return Book(root: root, chapters: chapters, appendices: try loadAppendices(root: root))
    }

    /// The names of the Markdown files in `root/chapters`, sorted; nil
    /// when there is no such folder.
    static func chapterFileNames(root: URL) -> [String]? {
        let folder = root.appendingPathComponent("chapters")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }

    /// Reads `appendices/*.md` under `root`: the known ones first, in order.
    static func loadAppendices(root: URL) throws -> [Appendix] {
        let folder = root.appendingPathComponent(appendixFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let markdown = names.filter { $0.hasSuffix(".md") }
        let ordered = appendixOrder.filter(markdown.contains) + markdown.filter { !appendixOrder.contains($0) }.sorted()
        return try ordered.map { name in
            let path = "\(appendixFolder)/\(name)"
            switch Chapter.decode(try Data(contentsOf: folder.appendingPathComponent(name)), path: path, kind: "appendix") {
            case .success(let text): return Appendix(path: path, text: text)
            case .failure(let diagnostic): throw DiagnosticError([diagnostic])
            }
        }
    }

    /// Finds the book's root: `start` or the nearest folder above it that
    /// holds `chapters/`.
    public static func findRoot(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("chapters").path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The chapters up to and including number `upTo` (all when nil).
    public func chapters(upTo: Int?) throws -> [Chapter] {
        guard let upTo else { return chapters }
        guard chapters.contains(where: { $0.number == upTo }) else {
            let known = chapters.map { String($0.number) }.joined(separator: ", ")
            throw DiagnosticError([.error("there is no chapter \(upTo) (chapters: \(known))", at: nil)])
        }
        return chapters.filter { $0.number <= upTo }
    }

    /// The generated files as they stand after chapter `upTo`, and the
    /// warnings found on the way; `parsedChapters` says whether the parsed
    /// chapters are freed on the way out.
    public func tangle(
        upTo: Int? = nil, annotated: Bool = true, parsedChapters: ParsedChapterLifetime = .freedAfterUse
    ) throws -> (files: [GeneratedFile], warnings: [Diagnostic]) {
        try ParsedBook(self, upTo: upTo).tangle(annotated: annotated, parsedChapters: parsedChapters)
    }
}

/// A page of reference material after the chapters, `appendices/NAME.md`,
/// woven as `site/NAME.html`.
public struct Appendix: Hashable, Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}

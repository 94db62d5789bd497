/// What one chapter does to the generated files: the code as it stands
/// after the chapter against the code after the chapter before it, without
/// the line markers (they point into the chapters and would change with
/// every edit of the prose) so that the diff shows code only.
public struct ChapterChanges: Sendable, Equatable {
    /// One generated file that the chapter creates, changes or removes.
    public struct File: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case created, changed, removed }

        public var path: String
        public var kind: Kind
        public var hunks: [LineDiff.Hunk]

        public var addedLines: Int { hunks.reduce(0) { $0 + $1.edits.filter { if case .added = $0 { true } else { false } }.count } }
        public var removedLines: Int { hunks.reduce(0) { $0 + $1.edits.filter { if case .removed = $0 { true } else { false } }.count } }
    }

    /// The chapter's number.
    public var chapter: Int
    /// The number of the chapter before it, nil for the first chapter.
    public var previous: Int?
    /// The files that differ, in the order the later state tangles them,
    /// then the removed ones.
    public var files: [File]

    public static let context = 3

    /// Compares two code states (the files `Book.tangle(upTo:)` returns).
    public init(chapter: Int, previous: Int?, before: [GeneratedFile], after: [GeneratedFile]) {
        // Files whose bodies are equal have equal code: not even split.
        let bodies = Dictionary(before.map { ($0.path, $0.body) }, uniquingKeysWith: { first, _ in first })
        let unchanged = Set(after.filter { bodies[$0.path] == $0.body }.map(\.path))
        var lines = NumberedLines()
        func code(_ file: GeneratedFile) -> [Int32] {
            unchanged.contains(file.path) ? [] : Self.code(of: file).map { lines.number($0) }
        }
        self.init(
            chapter: chapter, previous: previous,
            before: before.map { ($0.path, code($0)) }, after: after.map { ($0.path, code($0)) },
            lines: lines, unchanged: unchanged)
    }

    /// The same for code states given as each file's code lines
    /// (`Self.code(of:)`), numbered by `lines`. Files in `unchanged` are
    /// the same in both states (their code need not be given).
    init(
        chapter: Int, previous: Int?, before: [(path: String, code: [Int32])], after: [(path: String, code: [Int32])],
        lines: NumberedLines, unchanged: Set<String> = []
    ) {
        self.chapter = chapter
        self.previous = previous
        let old = Dictionary(before.map { ($0.path, $0.code) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { ($0.path, $0.code) }, uniquingKeysWith: { first, _ in first })
        func hunks(_ old: [Int32], _ new: [Int32]) -> [LineDiff.Hunk] {
            LineDiff.hunks(from: old, to: new, context: Self.context, old: { lines[old[$0]] }, new: { lines[new[$0]] })
        }
        var files: [File] = []
        for path in after.map(\.path) where !unchanged.contains(path) {
            let code = new[path]!
            let earlier = old[path]
            if let earlier, earlier == code { continue }
            let kind: File.Kind = earlier == nil ? .created : .changed
            let hunks = hunks(earlier ?? [], code)
            if !hunks.isEmpty || (kind == .created && code.isEmpty) {
                files.append(File(path: path, kind: kind, hunks: hunks))
            }
        }
        for file in before where new[file.path] == nil {
            files.append(File(path: file.path, kind: .removed, hunks: hunks(old[file.path]!, [])))
        }
        self.files = files
    }

    /// "after chapter 2", the name of a code state in diff headers.
    public static func stateName(_ chapter: Int) -> String { "after chapter \(chapter)" }

    /// The changes as a unified diff: `--- after chapter 1/asm/x.S`,
    /// `+++ after chapter 2/asm/x.S`, then the hunks; created and removed
    /// files are compared with /dev/null.
    public var unifiedDiff: String {
        var text = ""
        for file in files {
            let before = file.kind == .created || previous == nil
                ? "/dev/null" : "\(Self.stateName(previous!))/\(file.path)"
            let after = file.kind == .removed ? "/dev/null" : "\(Self.stateName(chapter))/\(file.path)"
            text += "--- \(before)\n+++ \(after)\n"
            for hunk in file.hunks {
                text += hunk.header + "\n"
                for edit in hunk.edits { text += edit.unified + "\n" }
            }
        }
        return text
    }

    /// A generated file's lines without its line markers.
    static func code(of file: GeneratedFile) -> [String] {
        let style = CommentStyle(path: file.path) ?? .hash
        return LineDiff.lines(of: file.body).filter { !style.isLineMarker($0) }
    }
}

extension Book {
    /// What chapter `number` changes in the generated files.
    public func changes(inChapter number: Int) throws -> ChapterChanges {
        guard let position = chapters.firstIndex(where: { $0.number == number }) else {
            _ = try chapters(upTo: number)  // throws "there is no chapter N (chapters: …)"
            preconditionFailure()
        }
        let previous = position > 0 ? chapters[position - 1].number : nil
        let parsed = try ParsedBook(self, upTo: number)
        let before = try previous.map { try parsed.upTo($0).tangle().files } ?? []
        let after = try parsed.tangle().files
        return ChapterChanges(chapter: number, previous: previous, before: before, after: after)
    }
}

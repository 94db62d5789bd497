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

/// The work of `planSync`.
private struct SyncPlanner {
    let book: Book
    let tangled: [(file: GeneratedFile, origins: [LineOrigin])]
    var errors: [Diagnostic] = []
    var pieceEdits: [PieceEdit] = []
    var syncedFiles: Set<String> = []
    /// The edited bodies (lines), by path, for the final check.
    var editedBodies: [String: [Substring]] = [:]

    init(book: Book, tangled: [(file: GeneratedFile, origins: [LineOrigin])]) {
        self.book = book
        self.tangled = tangled
    }

    struct PieceKey: Hashable {
        var chapter: String
        var firstLine: Int
    }

    /// An edit of one expansion of one piece: `range` of its lines becomes
    /// `lines` (indentation of the references already removed).
    struct PieceEdit {
        var piece: ChunkPiece
        var target: ChunkTarget
        var occurrence: Int
        var range: Range<Int>
        var lines: [String]
        var file: String
        var fileLine: Int

        var key: PieceKey { PieceKey(chapter: piece.chapter, firstLine: piece.firstLine) }
    }

    mutating func collectEdits(reading read: (String) -> Data?) {
        for (file, origins) in tangled {
            guard let data = read(file.path) else { continue }
            let contents = String(decoding: data, as: UTF8.self)
            if contents == file.contents { continue }
            switch GeneratedFile.provenance(of: contents) {
            case .generated:
                continue  // untouched; the chapters changed, `book tangle` updates it
            case .foreign:
                errors.append(.error(
                    "exists and was not written by book, but a chapter generates it; sync cannot tell where its lines belong",
                    at: SourceLocation(file: file.path, line: 1)))
                continue
            case .editedByHand:
                break
            }
            collectEdits(of: file, origins: origins, contents: contents)
        }
    }

    private mutating func collectEdits(of file: GeneratedFile, origins: [LineOrigin], contents: String) {
        let style = CommentStyle(path: file.path) ?? .hash
        let path = file.path
        var edited = contents.split(separator: "\n", omittingEmptySubsequences: false)
        if edited.last == "" { edited.removeLast() }
        let expected = file.contents.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let header = GeneratedFile.headerLineCount

        // The header must be as tangled: it is how the file is recognised.
        for line in 0..<header where line >= edited.count
            || GeneratedFile.withoutChecksum(edited[line]) != GeneratedFile.withoutChecksum(expected[line]) {
            errors.append(.error(
                "the edit changes the file's header (line \(line + 1)); sync needs the header as book wrote it",
                at: SourceLocation(file: path, line: line + 1),
                notes: [.note("restore the line: \(expected[line])", at: nil)]))
            return
        }
        if GeneratedFile.recordedChecksum(in: edited[1]) != Checksum.hex(of: file.body) {
            errors.append(.error(
                "the chapters have changed since this file was tangled; sync can only map edits onto the chapter text the file was tangled from",
                at: SourceLocation(file: path, line: 2),
                notes: [.note("undo the chapter change, run `book sync`, then make it again (or move the edit into the chapter by hand)", at: nil)]))
            return
        }

        let old = Array(expected.dropFirst(header))
        let new = Array(edited.dropFirst(header))
        editedBodies[path] = new
        syncedFiles.insert(path)
        for hunk in LineDiff.changedRuns(old: old.map(String.init), new: new.map(String.init)) {
            let location = SourceLocation(file: path, line: header + hunk.newRange.lowerBound + 1)
            var added = new[hunk.newRange].map(String.init)

            // Added lines may not carry what only the tangler writes.
            if let index = added.firstIndex(where: { style.isMarker(Substring($0)) }) {
                errors.append(.error(
                    "the edit adds a line marker; markers are written by book tangle, and sync maps edits through them",
                    at: SourceLocation(file: path, line: location.line + index)))
                continue
            }
            if let index = added.firstIndex(where: { Reference(line: $0) != nil }) {
                errors.append(.error(
                    "the added line \(added[index].trimmingWhitespace()) would be a chunk reference in the chapter; add references in the chapter itself",
                    at: SourceLocation(file: path, line: location.line + index)))
                continue
            }

            let candidates: [Candidate]
            if hunk.oldRange.isEmpty {
                candidates = insertionCandidates(at: hunk.oldRange.lowerBound, origins: origins)
                if candidates.isEmpty {
                    errors.append(.error(
                        "lines added before the first line marker belong to no chunk; add them in a chapter",
                        at: location))
                    continue
                }
            } else {
                let touched = Array(origins[hunk.oldRange])
                if let marker = touched.firstIndex(where: { $0.kind == .marker }) {
                    let origin = touched[marker]
                    errors.append(.error(
                        "the edit changes or removes the line marker at line \(header + hunk.oldRange.lowerBound + marker + 1) of the file as tangled; sync needs every marker to know which chunk a line belongs to",
                        at: location,
                        notes: [.note("the marker points here, in \(origin.target)", at: origin.piece.location(ofLine: origin.index))]))
                    continue
                }
                var pieces: [LineOrigin] = []
                for origin in touched where !pieces.contains(where: { $0.piece == origin.piece && $0.occurrence == origin.occurrence }) {
                    pieces.append(origin)
                }
                if pieces.count > 1 {
                    errors.append(.error(
                        "the edit spans \(pieces.count) code blocks; sync writes an edit back only when it stays inside one",
                        at: location,
                        notes: pieces.map { .note("a block of \($0.target) starts here", at: $0.piece.fenceLocation) }))
                    continue
                }
                let first = touched[0]
                if touched.enumerated().contains(where: { $0.element.index != first.index + $0.offset }) {
                    errors.append(.error(
                        "the edit spans a chunk reference in \(first.target); edit the lines on each side of it separately",
                        at: location,
                        notes: [.note("the block is here", at: first.piece.fenceLocation)]))
                    continue
                }
                candidates = [Candidate(origin: first, range: first.index..<(first.index + touched.count))]
            }

            guard let (candidate, lines) = candidates.lazy.compactMap({ candidate in
                Self.removingIndent(candidate.origin.indent, from: added).map { (candidate, $0) }
            }).first else {
                let origin = candidates[0].origin
                let line = added.firstIndex { !$0.isEmpty && !$0.hasPrefix(origin.indent) } ?? 0
                errors.append(.error(
                    "the edited line is indented less than the reference that included \(origin.target) (\(Self.describe(origin.indent))); sync cannot tell which indentation to remove",
                    at: SourceLocation(file: path, line: location.line + line),
                    notes: [.note("\(origin.target) is here", at: origin.piece.fenceLocation)]))
                continue
            }
            added = lines
            pieceEdits.append(PieceEdit(
                piece: candidate.origin.piece, target: candidate.origin.target, occurrence: candidate.origin.occurrence,
                range: candidate.range, lines: added, file: path, fileLine: location.line))
        }
    }

    /// Where lines inserted in the gap before body line `gap` may go, best
    /// first: after the line before the gap, or before the line after it.
    private func insertionCandidates(at gap: Int, origins: [LineOrigin]) -> [Candidate] {
        var result: [Candidate] = []
        if gap > 0 {
            let before = origins[gap - 1]
            let index = before.kind == .code ? before.index + 1 : before.index
            result.append(Candidate(origin: before, range: index..<index))
        }
        if gap < origins.count, gap > 0 || origins[gap].kind == .code {
            let after = origins[gap]
            result.append(Candidate(origin: after, range: after.index..<after.index))
        }
        return result
    }

    struct Candidate {
        var origin: LineOrigin
        var range: Range<Int>
    }

    static func removingIndent(_ indent: String, from lines: [String]) -> [String]? {
        var result: [String] = []
        for line in lines {
            if line.isEmpty {
                result.append("")
            } else if line.hasPrefix(indent) {
                result.append(String(line.dropFirst(indent.count)))
            } else {
                return nil
            }
        }
        return result
    }

    static func describe(_ indent: String) -> String {
        let tabs = indent.filter { $0 == "\t" }.count
        let spaces = indent.count - tabs
        return [spaces > 0 ? "\(spaces) space(s)" : nil, tabs > 0 ? "\(tabs) tab(s)" : nil]
            .compactMap { $0 }.joined(separator: " and ")
    }

    /// Combines the edits per piece, applies them to the chapters and checks
    /// that the new chapters tangle into exactly the edited files.
    mutating func plan() throws -> SyncPlan {
        // Every expansion of an edited piece must carry the same edit: a
        // chunk included twice cannot change in one place only.
        var occurrences: [PieceKey: [Int: (file: String, line: Int)]] = [:]
        for (file, origins) in tangled {
            for (line, origin) in origins.enumerated() {
                let key = PieceKey(chapter: origin.piece.chapter, firstLine: origin.piece.firstLine)
                if occurrences[key]?[origin.occurrence] == nil {
                    occurrences[key, default: [:]][origin.occurrence] = (file.path, GeneratedFile.headerLineCount + line + 1)
                }
            }
        }
        var chosen: [PieceEdit] = []
        let byPiece = Dictionary(grouping: pieceEdits, by: \.key)
        for key in byPiece.keys.sorted(by: { ($0.chapter, $0.firstLine) < ($1.chapter, $1.firstLine) }) {
            let edits = byPiece[key]!
            let byOccurrence = Dictionary(grouping: edits, by: \.occurrence)
                .mapValues { $0.map { ($0.range, $0.lines) }.sorted { $0.0.lowerBound < $1.0.lowerBound } }
            let all = occurrences[key] ?? [:]
            let reference = byOccurrence.values.first!
            let same = all.keys.allSatisfy { occurrence in
                guard let other = byOccurrence[occurrence], other.count == reference.count else { return false }
                return zip(other, reference).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            }
            if all.count > 1, !same {
                let first = edits[0]
                let places = all.keys.sorted().map { "\(all[$0]!.file):\(all[$0]!.line)" }
                errors.append(.error(
                    "\(first.target) is included \(all.count) times (\(places.joined(separator: ", "))) and this edit changes only some of them; make the same edit in every copy, or in the chapter",
                    at: SourceLocation(file: first.file, line: first.fileLine),
                    notes: [.note("the block is here", at: first.piece.fenceLocation)]))
                continue
            }
            let occurrence = edits[0].occurrence
            var previous: PieceEdit?
            for edit in edits.filter({ $0.occurrence == occurrence }).sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                if let previous, edit.range.lowerBound < previous.range.upperBound
                    || (edit.range.lowerBound == previous.range.upperBound && (edit.range.isEmpty || previous.range.isEmpty)) {
                    errors.append(.error(
                        "two edits meet at the same place in \(edit.target); join them into one",
                        at: SourceLocation(file: edit.file, line: edit.fileLine),
                        notes: [.note("the other edit", at: SourceLocation(file: previous.file, line: previous.fileLine))]))
                }
                chosen.append(edit)
                previous = edit
            }
        }
        if !errors.isEmpty { throw DiagnosticError(errors) }

        // Apply to the chapter lines, bottom up so line numbers stay valid.
        var chapterTexts: [String: String] = [:]
        var newChapters: [Chapter] = []
        var edits: [SyncedEdit] = []
        for chapter in book.chapters {
            let mine = chosen.filter { $0.piece.chapter == chapter.path }
            guard !mine.isEmpty else {
                newChapters.append(chapter)
                continue
            }
            var lines = chapter.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for edit in mine.sorted(by: { ($0.piece.firstLine, $0.range.lowerBound) > ($1.piece.firstLine, $1.range.lowerBound) }) {
                let prefix = Self.containerPrefix(of: edit.piece, in: lines)
                let start = edit.piece.firstLine - 1 + edit.range.lowerBound
                for (offset, code) in edit.piece.lines[edit.range].enumerated() where !Self.line(lines[start + offset], holds: code, prefix: prefix) {
                    errors.append(.error(
                        "cannot map the edit onto the chapter: its line differs from the code block's line (tabs in the block's indentation?)",
                        at: SourceLocation(file: edit.file, line: edit.fileLine),
                        notes: [.note("the chapter line", at: edit.piece.location(ofLine: edit.range.lowerBound + offset))]))
                }
                let replacement = edit.lines.map { $0.isEmpty ? String(prefix.reversed().drop { $0 == " " }.reversed()) : prefix + $0 }
                lines.replaceSubrange(start..<(start + edit.range.count), with: replacement)
                edits.append(SyncedEdit(
                    file: edit.file, fileLine: edit.fileLine, chapter: chapter.path, chapterLine: start + 1,
                    removed: edit.range.count, added: edit.lines.count, target: edit.target))
            }
            let text = lines.joined(separator: "\n")
            var replaced = Chapter(path: chapter.path, number: chapter.number, text: text)
            replaced.firstCRLFLine = chapter.firstCRLFLine
            newChapters.append(replaced)
            chapterTexts[chapter.path] = chapter.firstCRLFLine == nil ? text : text.replacingOccurrences(of: "\n", with: "\r\n")
        }
        if !errors.isEmpty { throw DiagnosticError(errors) }
        edits.sort { ($0.file, $0.fileLine) < ($1.file, $1.fileLine) }

        // The new chapters must tangle into the edited files, line for line
        // (markers aside: their line numbers move with the edit).
        var newBook = book
        newBook.chapters = newChapters
        var log = DiagnosticLog()
        let graph = ChunkGraph(chapters: newChapters, log: &log)
        let files = Tangler(graph: graph).tangle(log: &log)
        if log.hasErrors {
            throw DiagnosticError([.error("the edits would break the chapters; nothing was changed", at: nil)]
                + log.all.filter { $0.severity == .error })
        }
        for path in editedBodies.keys.sorted() {
            let style = CommentStyle(path: path) ?? .hash
            let wanted = editedBodies[path]!.filter { !style.isMarker($0) }
            var got = files.first { $0.path == path }?.body.split(separator: "\n", omittingEmptySubsequences: false) ?? []
            if got.last == "" { got.removeLast() }
            got.removeAll { style.isMarker($0) }
            if got != wanted {
                let index = (0..<min(got.count, wanted.count)).first { got[$0] != wanted[$0] } ?? min(got.count, wanted.count)
                let line = index < wanted.count ? "\(wanted[index])" : "(end of file)"
                errors.append(.error(
                    "sync cannot reproduce the edit through the chapters (the edited line \"\(line)\" would not come out as written); nothing was changed",
                    at: SourceLocation(file: path, line: GeneratedFile.headerLineCount + 1)))
            }
        }
        if !errors.isEmpty { throw DiagnosticError(errors) }
        return SyncPlan(edits: edits, chapterTexts: chapterTexts, syncedFiles: syncedFiles, book: newBook, files: files)
    }

    /// What stands before a code block's lines in the chapter: nothing, or
    /// the indentation (and `>` of quotes) of a block inside a list or quote.
    static func containerPrefix(of piece: ChunkPiece, in lines: [String]) -> String {
        guard piece.baseColumn > 1 else { return "" }
        let closing = piece.firstLine - 1 + piece.lines.count
        guard closing < lines.count else { return "" }
        return String(lines[closing].prefix { $0 != "`" && $0 != "~" })
    }

    static func line(_ line: String, holds code: String, prefix: String) -> Bool {
        if line == prefix + code { return true }
        return code.isEmpty && line.allSatisfy { $0 == " " || $0 == ">" || $0 == "\t" }
    }
}

extension GeneratedFile {
    /// A header line with its checksum blanked (to compare headers).
    static func withoutChecksum(_ line: Substring) -> Substring {
        guard let label = line.range(of: checksumLabel) else { return line }
        let rest = line[label.upperBound...].drop { $0.isHexDigit }
        return line[..<label.upperBound] + rest
    }

    static func recordedChecksum(in line: Substring) -> String {
        guard let label = line.range(of: checksumLabel) else { return "" }
        return String(line[label.upperBound...].prefix { $0.isHexDigit })
    }
}

import Foundation

/// Moving the collected edits into the chapters: which edits fit together,
/// the chapters' new texts, and the check that the new chapters tangle into
/// the edited files.
extension SyncPlanner {
    /// The edits to make, piece by piece in book order. A chunk included
    /// twice cannot change in one place only: each expansion of an edited
    /// piece must carry the same edits, and two edits may not meet.
    mutating func chooseEdits() -> [PieceEdit] {
        let occurrences = occurrencesOfPieces()
        var chosen: [PieceEdit] = []
        let byPiece = Dictionary(grouping: pieceEdits, by: \.piece.key)
        for key in byPiece.keys.sorted(by: { ($0.chapter, $0.line) < ($1.chapter, $1.line) }) {
            let edits = byPiece[key]!
            let places = occurrences[key] ?? [:]
            guard places.count <= 1 || Self.isSameInEveryOccurrence(edits, occurrences: places.keys) else {
                errors.append(Self.editOfSomeCopies(edits[0], places: places))
                continue
            }
            let occurrence = edits[0].occurrence
            let ofOneCopy = edits.filter { $0.occurrence == occurrence }.sorted { $0.range.lowerBound < $1.range.lowerBound }
            errors += Self.meetingEdits(ofOneCopy)
            chosen += ofOneCopy
        }
        return chosen
    }

    /// Where each expansion of each piece starts: the generated file and
    /// its line, by piece and occurrence.
    private func occurrencesOfPieces() -> [BlockKey: [Int: (file: String, line: Int)]] {
        var occurrences: [BlockKey: [Int: (file: String, line: Int)]] = [:]
        for (file, origins) in tangled {
            for (line, origin) in origins.enumerated() where occurrences[origin.piece.key]?[origin.occurrence] == nil {
                occurrences[origin.piece.key, default: [:]][origin.occurrence] = (file.path, GeneratedFileHeader.lineCount + line + 1)
            }
        }
        return occurrences
    }

    /// Whether every one of `occurrences` of a piece has the same `edits`.
    private static func isSameInEveryOccurrence(_ edits: [PieceEdit], occurrences: some Collection<Int>) -> Bool {
        let byOccurrence = Dictionary(grouping: edits, by: \.occurrence)
            .mapValues { $0.map { ($0.range, $0.lines) }.sorted { $0.0.lowerBound < $1.0.lowerBound } }
        let reference = byOccurrence.values.first!
        return occurrences.allSatisfy { occurrence in
            guard let other = byOccurrence[occurrence], other.count == reference.count else { return false }
            return zip(other, reference).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    private static func editOfSomeCopies(_ edit: PieceEdit, places: [Int: (file: String, line: Int)]) -> Diagnostic {
        let list = places.keys.sorted().map { "\(places[$0]!.file):\(places[$0]!.line)" }
        return .error(
            "\(edit.target) is included \(places.count) times (\(list.joined(separator: ", "))) and this edit changes only some of them; make the same edit in every copy, or in the chapter",
            at: SourceLocation(file: edit.file, line: edit.fileLine),
            notes: [.note("the block is here", at: edit.piece.fenceLocation)])
    }

    /// An error for each edit (of one expansion, in order) that overlaps
    /// the one before it, or meets it where one of them inserts lines.
    private static func meetingEdits(_ edits: [PieceEdit]) -> [Diagnostic] {
        zip(edits, edits.dropFirst()).compactMap { previous, edit in
            guard edit.range.lowerBound < previous.range.upperBound
                || (edit.range.lowerBound == previous.range.upperBound && (edit.range.isEmpty || previous.range.isEmpty))
            else { return nil }
            return .error(
                "two edits meet at the same place in \(edit.target); join them into one",
                at: SourceLocation(file: edit.file, line: edit.fileLine),
                notes: [.note("the other edit", at: SourceLocation(file: previous.file, line: previous.fileLine))])
        }
    }

    /// The chapters with `chosen` made, the new text of each that changes
    /// (with the line endings it had on disk), and the edits as made.
    mutating func apply(_ chosen: [PieceEdit]) -> (chapters: [Chapter], texts: [String: String], edits: [SyncedEdit]) {
        var chapters: [Chapter] = []
        var texts: [String: String] = [:]
        var edits: [SyncedEdit] = []
        for chapter in book.chapters {
            let mine = chosen.filter { $0.piece.chapter == chapter.path }
            guard !mine.isEmpty else {
                chapters.append(chapter)
                continue
            }
            let (text, made) = applying(mine, to: chapter)
            var replaced = Chapter(path: chapter.path, number: chapter.number, text: text)
            replaced.firstCRLFLine = chapter.firstCRLFLine
            chapters.append(replaced)
            texts[chapter.path] = chapter.firstCRLFLine == nil ? text : text.replacingOccurrences(of: "\n", with: "\r\n")
            edits += made
        }
        edits.sort { ($0.file, $0.fileLine) < ($1.file, $1.fileLine) }
        return (chapters, texts, edits)
    }

    /// The text of `chapter` with `edits` made, bottom up so that line
    /// numbers stay valid; an edit whose lines the chapter does not hold
    /// as the block gave them is an error.
    private mutating func applying(_ edits: [PieceEdit], to chapter: Chapter) -> (text: String, made: [SyncedEdit]) {
        var lines = chapter.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var made: [SyncedEdit] = []
        for edit in edits.sorted(by: { ($0.piece.firstLine, $0.range.lowerBound) > ($1.piece.firstLine, $1.range.lowerBound) }) {
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
            made.append(SyncedEdit(
                file: edit.file, fileLine: edit.fileLine, chapter: chapter.path, chapterLine: start + 1,
                removed: edit.range.count, added: edit.lines.count, target: edit.target))
        }
        return (lines.joined(separator: "\n"), made)
    }

    /// What stands before a code block's lines in the chapter: nothing, or
    /// the indentation (and `>` of quotes) of a block inside a list or quote.
    private static func containerPrefix(of piece: ChunkPiece, in lines: [String]) -> String {
        guard piece.baseColumn > 1 else { return "" }
        let closing = piece.firstLine - 1 + piece.lines.count
        guard closing < lines.count else { return "" }
        return String(lines[closing].prefix { $0 != "`" && $0 != "~" })
    }

    private static func line(_ line: String, holds code: String, prefix: String) -> Bool {
        if line == prefix + code { return true }
        return code.isEmpty && line.allSatisfy { $0 == " " || $0 == ">" || $0 == "\t" }
    }

    /// The tangle of `newBook`, whose chapters hold the edits. Each edited
    /// file must come out of it as edited, code line for code line (the
    /// markers' line numbers move with the edits).
    mutating func tangleAndCompare(_ newBook: Book) throws -> [GeneratedFile] {
        var log = DiagnosticLog()
        let graph = ChunkGraph(chapters: newBook.chapters, log: &log)
        let retangled = Tangler(graph: graph).tangle(recordingOrigins: true, log: &log)
        if log.hasErrors {
            throw DiagnosticError([.error("the edits would break the chapters; nothing was changed", at: nil)]
                + log.all.filter { $0.severity == .error })
        }
        for path in editedCode.keys.sorted() {
            let wanted = editedCode[path]!
            let got = retangled.first { $0.file.path == path }.map(Self.code(of:)) ?? []
            guard got != wanted else { continue }
            let index = (0..<min(got.count, wanted.count)).first { got[$0] != wanted[$0] } ?? min(got.count, wanted.count)
            let line = index < wanted.count ? "\(wanted[index])" : "(end of file)"
            errors.append(.error(
                "sync cannot reproduce the edit through the chapters (the edited line \"\(line)\" would not come out as written); nothing was changed",
                at: SourceLocation(file: path, line: GeneratedFileHeader.lineCount + 1)))
        }
        return retangled.map(\.file)
    }

    /// A tangled file's code lines: its body without the markers.
    private static func code(of tangled: (file: GeneratedFile, origins: [LineOrigin])) -> [Substring] {
        zip(lines(of: tangled.file.body[...]), tangled.origins).filter { $0.1.kind == .code }.map(\.0)
    }
}

import Foundation

/// Finding the hand edits of the generated files and attributing each to
/// the piece of code its lines come from, through the line origins of the
/// tangle.
extension SyncPlanner {
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
            case .editedByHand:
                collectEdits(of: file, origins: origins, edited: GeneratedFileHeader(parsing: contents[...])!)
            }
        }
    }

    /// The edits of one hand-edited file, whose text is `edited`.
    private mutating func collectEdits(of file: GeneratedFile, origins: [LineOrigin], edited: GeneratedFileHeader) {
        if let problem = Self.headerProblem(edited, of: file) {
            errors.append(problem)
            return
        }
        let old = Self.lines(of: file.body[...])
        let new = Self.lines(of: edited.body)
        let runs = LineDiff.changedRuns(old: old.map(String.init), new: new.map(String.init))
        editedCode[file.path] = Self.code(of: new, changedRuns: runs, origins: origins)
        syncedFiles.insert(file.path)
        let style = CommentStyle(path: file.path) ?? .hash
        for run in runs {
            do {
                try pieceEdits.append(Self.pieceEdit(
                    for: run, added: new[run.newRange].map(String.init), in: file.path, origins: origins, style: style))
            } catch {
                errors.append(error.diagnostic)
            }
        }
    }

    /// Why sync cannot map the edits of `file` onto the chapters, judging
    /// by its header, or nil. The header must be as tangled: it is how the
    /// file is recognised. Its checksum must still be the tangled body's:
    /// edits can only be mapped onto the chapter text the file came from.
    private static func headerProblem(_ edited: GeneratedFileHeader, of file: GeneratedFile) -> Diagnostic? {
        let tangled = GeneratedFileHeader(parsing: file.contents[...])!
        for line in 0..<GeneratedFileHeader.lineCount
        where GeneratedFileHeader.withoutChecksum(edited.lines[line]) != GeneratedFileHeader.withoutChecksum(tangled.lines[line]) {
            return .error(
                "the edit changes the file's header (line \(line + 1)); sync needs the header as book wrote it",
                at: SourceLocation(file: file.path, line: line + 1),
                notes: [.note("restore the line: \(tangled.lines[line])", at: nil)])
        }
        guard edited.recordedChecksum == Checksum.hex(of: file.body) else {
            return .error(
                "the chapters have changed since this file was tangled; sync can only map edits onto the chapter text the file was tangled from",
                at: SourceLocation(file: file.path, line: 2),
                notes: [.note("undo the chapter change, run `book sync`, then make it again (or move the edit into the chapter by hand)", at: nil)])
        }
        return nil
    }

    /// The edited body's lines without the tangled file's markers, which
    /// stay where they were: an edit that touches one is refused.
    private static func code(of edited: [Substring], changedRuns runs: [LineDiff.ChangedRun], origins: [LineOrigin]) -> [Substring] {
        var code: [Substring] = []
        var old = 0, new = 0
        let end = LineDiff.ChangedRun(oldRange: origins.count..<origins.count, newRange: edited.count..<edited.count)
        for run in runs + [end] {
            for offset in 0..<(run.newRange.lowerBound - new) where origins[old + offset].kind == .code {
                code.append(edited[new + offset])
            }
            code += edited[run.newRange]
            old = run.oldRange.upperBound
            new = run.newRange.upperBound
        }
        return code
    }

    /// The edit that one changed run of a file makes to the piece its lines
    /// come from: lines of the tangled body (`run.oldRange`) replaced by
    /// `added`, or `added` inserted.
    private static func pieceEdit(
        for run: LineDiff.ChangedRun, added: [String], in path: String, origins: [LineOrigin], style: CommentStyle
    ) throws(Refusal) -> PieceEdit {
        let location = SourceLocation(file: path, line: GeneratedFileHeader.lineCount + run.newRange.lowerBound + 1)
        try refuseTanglerLines(in: added, at: location, style: style)
        let candidates = run.oldRange.isEmpty
            ? try insertionCandidates(at: run.oldRange.lowerBound, origins: origins, location: location)
            : [try replacementCandidate(for: run.oldRange, origins: origins, location: location)]
        return try placing(added, at: candidates, location: location)
    }

    /// Added lines may not carry what only the tangler writes: markers and
    /// references.
    private static func refuseTanglerLines(in added: [String], at location: SourceLocation, style: CommentStyle) throws(Refusal) {
        if let index = added.firstIndex(where: { style.isLineMarker($0) }) {
            throw Refusal(diagnostic: .error(
                "the edit adds a line marker; markers are written by book tangle, and sync maps edits through them",
                at: SourceLocation(file: location.file, line: location.line + index)))
        }
        if let index = added.firstIndex(where: { Reference(line: $0) != nil }) {
            throw Refusal(diagnostic: .error(
                "the added line \(added[index].trimmingWhitespace()) would be a chunk reference in the chapter; add references in the chapter itself",
                at: SourceLocation(file: location.file, line: location.line + index)))
        }
    }

    /// Where lines inserted in the gap before body line `gap` may go, best
    /// first: after the line before the gap, or before the line after it.
    private static func insertionCandidates(at gap: Int, origins: [LineOrigin], location: SourceLocation) throws(Refusal) -> [Candidate] {
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
        if result.isEmpty {
            throw Refusal(diagnostic: .error("lines added before the first line marker belong to no chunk; add them in a chapter", at: location))
        }
        return result
    }

    /// The lines of one piece that body lines `replaced` are: refused when
    /// they include a marker, lines of two pieces, or a reference's
    /// expansion.
    private static func replacementCandidate(
        for replaced: Range<Int>, origins: [LineOrigin], location: SourceLocation
    ) throws(Refusal) -> Candidate {
        let touched = Array(origins[replaced])
        if let marker = touched.firstIndex(where: { $0.kind == .marker }) {
            let origin = touched[marker]
            throw Refusal(diagnostic: .error(
                "the edit changes or removes the line marker at line \(GeneratedFileHeader.lineCount + replaced.lowerBound + marker + 1) of the file as tangled; sync needs every marker to know which chunk a line belongs to",
                at: location,
                notes: [.note("the marker points here, in \(origin.target)", at: origin.piece.location(ofLine: origin.index))]))
        }
        var pieces: [LineOrigin] = []
        for origin in touched where !pieces.contains(where: { $0.piece == origin.piece && $0.occurrence == origin.occurrence }) {
            pieces.append(origin)
        }
        if pieces.count > 1 {
            throw Refusal(diagnostic: .error(
                "the edit spans \(pieces.count) code blocks; sync writes an edit back only when it stays inside one",
                at: location,
                notes: pieces.map { .note("a block of \($0.target) starts here", at: $0.piece.fenceLocation) }))
        }
        let first = touched[0]
        if touched.enumerated().contains(where: { $0.element.index != first.index + $0.offset }) {
            throw Refusal(diagnostic: .error(
                "the edit spans a chunk reference in \(first.target); edit the lines on each side of it separately",
                at: location,
                notes: [.note("the block is here", at: first.piece.fenceLocation)]))
        }
        return Candidate(origin: first, range: first.index..<(first.index + touched.count))
    }

    /// The edit of the first candidate whose indentation (what the
    /// references that included it added) every added line carries.
    private static func placing(_ added: [String], at candidates: [Candidate], location: SourceLocation) throws(Refusal) -> PieceEdit {
        for candidate in candidates {
            guard let lines = removingIndent(candidate.origin.indent, from: added) else { continue }
            let origin = candidate.origin
            return PieceEdit(
                piece: origin.piece, target: origin.target, occurrence: origin.occurrence,
                range: candidate.range, lines: lines, file: location.file, fileLine: location.line)
        }
        let origin = candidates[0].origin
        let line = added.firstIndex { !$0.isEmpty && !$0.hasPrefix(origin.indent) } ?? 0
        throw Refusal(diagnostic: .error(
            "the edited line is indented less than the reference that included \(origin.target) (\(describe(origin.indent))); sync cannot tell which indentation to remove",
            at: SourceLocation(file: location.file, line: location.line + line),
            notes: [.note("\(origin.target) is here", at: origin.piece.fenceLocation)]))
    }

    private static func removingIndent(_ indent: String, from lines: [String]) -> [String]? {
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

    /// "8 space(s)", "1 tab(s)", "2 space(s) and 1 tab(s)".
    private static func describe(_ indent: String) -> String {
        let tabs = indent.filter { $0 == "\t" }.count
        let spaces = indent.count - tabs
        return [spaces > 0 ? "\(spaces) space(s)" : nil, tabs > 0 ? "\(tabs) tab(s)" : nil]
            .compactMap { $0 }.joined(separator: " and ")
    }
}

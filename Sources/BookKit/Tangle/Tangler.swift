/// Turns the chunk graph into files: expands `<<name>>` references,
/// indents what they insert, and puts a source-location marker before every
/// piece so compilers and debuggers name the chapter line.
public struct Tangler: Sendable {
    public let graph: ChunkGraph
    /// False for a bare export: no source-location markers.
    public let annotated: Bool
    /// False when nobody reads the diagnostics (the code states of the
    /// site's diffs): undefined and cyclic references are skipped without
    /// working out their reports (a typo suggestion compares every name).
    var reportsReferenceErrors = true

    public init(graph: ChunkGraph, annotated: Bool = true) {
        self.graph = graph
        self.annotated = annotated
    }

    /// Every file the chapters define, or every error found (undefined and
    /// cyclic references), plus warnings for chunks no file uses.
    public func tangle() throws -> [GeneratedFile] {
        var log = DiagnosticLog()
        let files = tangle(log: &log)
        try log.throwIfErrors()
        return files
    }

    func tangle(log: inout DiagnosticLog) -> [GeneratedFile] {
        tangle(recordingOrigins: false, log: &log).map(\.file)
    }

    /// The files, each with the origin of every line of its body when
    /// `recordingOrigins` (what `book sync` maps edits back with).
    ///
    /// Files are expanded at the same time on all cores, each with its own
    /// log; the results are then put together in the order of the files, as
    /// if they had been expanded one after another.
    func tangle(recordingOrigins: Bool, log: inout DiagnosticLog) -> [(file: GeneratedFile, origins: [LineOrigin])] {
        tangle(recordingOrigins: recordingOrigins, reusing: nil, log: &log).compactMap { result in
            result.file.map { ($0, result.origins) }
        }
    }

    /// The files, except those `reusing` accepts: it is asked, for each
    /// file, with the chapters the file's pieces come from, and a file it
    /// accepts comes back as nil, unexpanded (its text on disk is still
    /// right; see `IncrementalTangle`). Unused-chunk warnings count the
    /// references of every file, expanded or not.
    func tangle(
        recordingOrigins: Bool, reusing: (@Sendable (_ path: String, _ chapters: Set<String>) -> Bool)?, log: inout DiagnosticLog
    ) -> [(path: String, file: GeneratedFile?, origins: [LineOrigin])] {
        let paths = graph.files
        let expand: @Sendable (String) -> (expansion: Expansion?, used: Set<String>, diagnostics: [Diagnostic]) = { path in
            if let reusing {
                let reach = self.reach(of: path)
                if reusing(path, reach.chapters) { return (nil, reach.used, []) }
            }
            var used: Set<String> = [], fileLog = DiagnosticLog()
            let expansion = self.expansion(of: path, recordingOrigins: recordingOrigins, used: &used, log: &fileLog)
            return (expansion, used, fileLog.all)
        }
        let expanded = Parallel.map(paths, expand)

        var used: Set<String> = []
        var files: [(path: String, file: GeneratedFile?, origins: [LineOrigin])] = []
        var occurrences = 0
        for (path, result) in zip(paths, expanded) {
            used.formUnion(result.used)
            for diagnostic in result.diagnostics {
                // A reference expanded in several files is reported once.
                let seen = diagnostic.severity == .error && diagnostic.location.map(log.hasError(at:)) == true
                if !seen { log.report(diagnostic) }
            }
            guard let expansion = result.expansion else {
                files.append((path, nil, []))
                continue
            }
            // Number the pieces' expansions on from the files before.
            var origins = expansion.origins
            if occurrences > 0 {
                for index in origins.indices { origins[index].occurrence += occurrences }
            }
            occurrences += expansion.occurrences
            files.append((path, file(path, from: expansion), origins))
        }
        var unused: [(name: String, at: SourceLocation)] = []
        for (target, chunk) in graph.chunks {
            if case .named(let name) = target, !used.contains(name) { unused.append((name, chunk.definition)) }
        }
        unused.sort { ($0.at.file, $0.at.line, $0.at.column) < ($1.at.file, $1.at.line, $1.at.column) }
        for chunk in unused {
            log.report(.warning("chunk \"\(chunk.name)\" is never used", at: chunk.at))
        }
        return files
    }

    /// What expanding file `path` would read, found by following the
    /// references without copying a line: the chapters its pieces come
    /// from, and every chunk name it references (defined or not).
    func reach(of path: String) -> (chapters: Set<String>, used: Set<String>) {
        var chapters: Set<String> = [], used: Set<String> = []
        var pending: [Chunk] = graph.chunks[.file(path)].map { [$0] } ?? []
        while let chunk = pending.popLast() {
            for piece in chunk.pieces {
                chapters.insert(piece.chapter)
                for name in piece.referenceNames where used.insert(name).inserted {
                    if let included = graph.chunks[.named(name)] { pending.append(included) }
                }
            }
        }
        return (chapters, used)
    }

    /// One file of the graph; `used` collects the chunk names it references.
    func tangleFile(_ path: String, used: inout Set<String>, log: inout DiagnosticLog) -> GeneratedFile {
        file(path, from: expansion(of: path, recordingOrigins: false, used: &used, log: &log))
    }

    private func expansion(
        of path: String, recordingOrigins: Bool, used: inout Set<String>, log: inout DiagnosticLog
    ) -> Expansion {
        var expansion = Expansion(
            style: CommentStyle(path: path) ?? .hash, annotated: annotated, recordsOrigins: recordingOrigins)
        expand(graph.chunks[.file(path)]!, indent: "", stack: [], into: &expansion, used: &used, log: &log)
        return expansion
    }

    private func file(_ path: String, from expansion: Expansion) -> GeneratedFile {
        GeneratedFile(path: path, body: expansion.text, chapters: expansion.chapters, isBare: !annotated)
    }

    /// The body of one file as it grows: its text, and on request where
    /// each line comes from.
    private struct Expansion: Sendable {
        let style: CommentStyle
        let annotated: Bool
        let recordsOrigins: Bool
        /// Every line followed by `\n`.
        var text = ""
        /// The chapters the pieces come from, in order of first use.
        var chapters: [String] = []
        private var seenChapters: Set<String> = []
        /// One per line of `text` when `recordsOrigins`.
        var origins: [LineOrigin] = []
        /// Pieces expanded so far (numbers each expansion of a piece).
        var occurrences = 0

        init(style: CommentStyle, annotated: Bool, recordsOrigins: Bool) {
            self.style = style
            self.annotated = annotated
            self.recordsOrigins = recordsOrigins
        }

        private mutating func append(_ indent: String, _ line: String) {
            if !line.isEmpty {
                text.append(indent)
                text.append(line)
            }
            text.append("\n")
        }

        mutating func mark(_ piece: ChunkPiece, of target: ChunkTarget, line index: Int, indent: String, occurrence: Int) {
            if seenChapters.insert(piece.chapter).inserted { chapters.append(piece.chapter) }
            guard annotated, let marker = style.lineMarker else { return }
            append(marker.isIndented ? indent : "", marker.render(file: piece.chapter, line: piece.firstLine + index))
            if recordsOrigins {
                origins.append(LineOrigin(kind: .marker, piece: piece, target: target, index: index, indent: indent, occurrence: occurrence))
            }
        }

        mutating func code(_ line: String, _ piece: ChunkPiece, of target: ChunkTarget, line index: Int, indent: String, occurrence: Int) {
            append(indent, line)
            if recordsOrigins {
                origins.append(LineOrigin(kind: .code, piece: piece, target: target, index: index, indent: indent, occurrence: occurrence))
            }
        }
    }

    /// A chunk on the stack of references being expanded, for cycle reports.
    private struct Frame {
        var name: String
        var reference: SourceLocation
    }

    private func expand(
        _ chunk: Chunk, indent: String, stack: [Frame],
        into expansion: inout Expansion, used: inout Set<String>, log: inout DiagnosticLog
    ) {
        for piece in chunk.pieces {
            let occurrence = expansion.occurrences
            expansion.occurrences += 1
            expansion.mark(piece, of: chunk.target, line: 0, indent: indent, occurrence: occurrence)
            for (index, line) in piece.lines.enumerated() {
                guard let reference = Reference(line: line) else {
                    expansion.code(line, piece, of: chunk.target, line: index, indent: indent, occurrence: occurrence)
                    continue
                }
                let location = piece.location(ofLine: index, column: reference.column)
                used.insert(reference.name)
                if let start = stack.firstIndex(where: { $0.name == reference.name }) {
                    guard reportsReferenceErrors, !log.hasError(at: location) else { continue }
                    let cycle = (stack[start...].map(\.name) + [reference.name]).map { "\"\($0)\"" }
                    log.report(.error(
                        "cyclic reference: \(cycle.joined(separator: " -> "))", at: location,
                        notes: stack[start...].dropFirst().map { .note("\"\($0.name)\" is referenced here", at: $0.reference) }
                    ))
                } else if let target = graph.chunks[.named(reference.name)] {
                    expand(
                        target, indent: indent + reference.indent,
                        stack: stack + [Frame(name: reference.name, reference: location)],
                        into: &expansion, used: &used, log: &log
                    )
                    if index + 1 < piece.lines.count {
                        expansion.mark(piece, of: chunk.target, line: index + 1, indent: indent, occurrence: occurrence)
                    }
                } else {
                    guard reportsReferenceErrors, !log.hasError(at: location) else { continue }
                    log.report(.error(
                        "undefined chunk \"\(reference.name)\"", at: location,
                        notes: suggestion(for: reference.name).map { [.note("did you mean \"\($0.name)\"? It is defined here", at: $0.at)] } ?? []))
                }
            }
        }
    }
}

extension Tangler {
    /// The defined chunk whose name is closest to `name`, when it is close
    /// enough to be a typo.
    func suggestion(for name: String) -> (name: String, at: SourceLocation)? {
        var best: (name: String, at: SourceLocation, distance: Int)?
        let wanted = Array(name.lowercased())
        for (target, chunk) in graph.chunks {
            guard case .named(let other) = target else { continue }
            let distance = Self.editDistance(wanted, Array(other.lowercased()), limit: max(2, name.count / 4))
            guard let distance else { continue }
            if best == nil || (distance, other) < (best!.distance, best!.name) { best = (other, chunk.definition, distance) }
        }
        return best.map { ($0.name, $0.at) }
    }

    /// Levenshtein distance, or nil when it is above `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > limit { return nil }
            previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}

/// Where one line of a tangled file's body comes from.
struct LineOrigin: Sendable {
    enum Kind: Sendable { case marker, code }
    var kind: Kind
    /// The piece the line belongs to (a marker: the piece it points into).
    var piece: ChunkPiece
    /// The file or chunk the piece is part of.
    var target: ChunkTarget
    /// The line of `piece.lines` (a marker: the line it names).
    var index: Int
    /// The indentation the enclosing references added to the line.
    var indent: String
    /// Which expansion of the piece this is: a chunk included twice gives
    /// its pieces two occurrences.
    var occurrence: Int
}

/// A line that holds only `<<chunk name>>`, with any indentation.
struct Reference: Hashable, Sendable {
    var name: String
    var indent: String
    /// 0-based column of the `<<`.
    var column: Int

    /// Reads the line's UTF-8 bytes in place: blanks, `<<`, a name holding
    /// no `<<` or `>>`, `>>`, blanks. Every code line of the book passes
    /// through here, and almost all of them fail at the first non-blank byte.
    init?(line: String) {
        var line = line
        guard let parts = line.withUTF8({ Self.parts(of: $0) }) else { return nil }
        let utf8 = line.utf8
        let nameStart = utf8.index(utf8.startIndex, offsetBy: parts.indent + 2)
        let nameEnd = utf8.index(nameStart, offsetBy: parts.nameLength)
        name = String(line[nameStart..<nameEnd])
        indent = String(line[..<utf8.index(utf8.startIndex, offsetBy: parts.indent)])
        column = parts.indent
    }

    private static let blank = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let open = UInt8(ascii: "<"), close = UInt8(ascii: ">")

    /// The indentation's length and the name's length in bytes, or nil when
    /// the bytes are not a reference.
    private static func parts(of bytes: UnsafeBufferPointer<UInt8>) -> (indent: Int, nameLength: Int)? {
        var start = 0
        while start < bytes.count, bytes[start] == blank || bytes[start] == tab { start += 1 }
        guard start + 1 < bytes.count, bytes[start] == open, bytes[start + 1] == open else { return nil }
        var end = bytes.count
        while end > start, bytes[end - 1] == blank || bytes[end - 1] == tab { end -= 1 }
        // At least one byte of name between `<<` and `>>`.
        guard end - start > 4, bytes[end - 1] == close, bytes[end - 2] == close else { return nil }
        var index = start + 2
        while index < end - 3 {
            if (bytes[index] == open && bytes[index + 1] == open) || (bytes[index] == close && bytes[index + 1] == close) {
                return nil
            }
            index += 1
        }
        return (start, end - start - 4)
    }
}

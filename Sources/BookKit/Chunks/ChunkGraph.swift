/// One code block's contribution to a chunk.
public struct ChunkPiece: Hashable, Sendable {
    public var chapter: String
    public var chapterNumber: Int
    public var mode: ChunkMode
    public var lines: [String]
    /// The chapter line of `lines[0]`.
    public var firstLine: Int
    public var baseColumn: Int
    public var fenceLocation: SourceLocation

    /// Where `lines[index]` sits in the chapter, at `column` (0-based) of it.
    func location(ofLine index: Int, column: Int = 0) -> SourceLocation {
        SourceLocation(file: chapter, line: firstLine + index, column: baseColumn + column)
    }
}

/// A file or named chunk as it stands after the chapters read so far:
/// the pieces that `append` added, after the last `replace`.
public struct Chunk: Hashable, Sendable {
    public var target: ChunkTarget
    public var pieces: [ChunkPiece]
    /// Where the target was first defined (for "first defined here" notes).
    public var definition: SourceLocation

    /// The chapters that contribute lines, in order.
    public var chapters: [String] {
        var seen: [String] = []
        for piece in pieces where !seen.contains(piece.chapter) { seen.append(piece.chapter) }
        return seen
    }
}

/// The chunks of a book: every file and named chunk, built from the code
/// blocks of its chapters in chapter order.
public struct ChunkGraph: Sendable {
    public private(set) var chunks: [ChunkTarget: Chunk] = [:]
    /// File targets in the order they were first defined.
    public private(set) var files: [String] = []

    public init(chapters: [Chapter]) throws {
        var log = DiagnosticLog()
        self.init(chapters: chapters, log: &log)
        try log.throwIfErrors()
    }

    init(chapters: [Chapter], log: inout DiagnosticLog) {
        for chapter in chapters {
            for block in MarkdownParser.codeBlocks(in: chapter) {
                add(block, of: chapter, log: &log)
            }
        }
    }

    private mutating func add(_ block: CodeBlock, of chapter: Chapter, log: inout DiagnosticLog) {
        let parsed = ChunkAttributes.parse(block, log: &log)
        if !block.isTerminated {
            log.report(.error("unterminated code fence: the chapter ends before the closing fence", at: block.fenceLocation))
            return
        }
        guard let attributes = parsed, let target = attributes.target else { return }
        if case .file(let path) = target, let problem = OutputPath.problem(with: path) {
            var location = block.infoLocation
            location.column += block.info.range(of: path).map { block.info.distance(from: block.info.startIndex, to: $0.lowerBound) } ?? 0
            log.report(.error(problem, at: location))
            return
        }
        let piece = ChunkPiece(
            chapter: chapter.path, chapterNumber: chapter.number, mode: attributes.mode,
            lines: block.lines, firstLine: block.firstLine, baseColumn: block.baseColumn,
            fenceLocation: block.fenceLocation
        )
        switch (chunks[target], attributes.mode) {
        case (nil, .define):
            chunks[target] = Chunk(target: target, pieces: [piece], definition: block.fenceLocation)
            if case .file(let path) = target { files.append(path) }
        case (nil, .append), (nil, .replace):
            log.report(.error("cannot \(attributes.mode.rawValue) to \(target): it is not defined in this or an earlier chapter", at: block.fenceLocation))
        case (let existing?, .define):
            log.report(.error(
                "\(target) is already defined; mark this block 'append' or 'replace' to change it",
                at: block.fenceLocation,
                notes: [.note("first defined here", at: existing.definition)]
            ))
        case (_, .append):
            chunks[target]!.pieces.append(piece)
        case (_, .replace):
            chunks[target]!.pieces = [piece]
        }
    }
}

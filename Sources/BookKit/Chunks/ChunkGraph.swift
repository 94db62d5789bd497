/// One code block's contribution to a chunk. Pieces never change once
/// read, and expanding a file passes them around by the thousand: they are
/// shared, not copied.
public final class ChunkPiece: Sendable {
    public let chapter: String
    public let chapterNumber: Int
    public let mode: ChunkMode
    /// The block's lines as written.
    public let lines: [String]
    /// The lines of `lines` that include a chunk, in order: read once, with
    /// the block, so that nothing that walks the chunks reads them again.
    let references: [Reference]
    /// For each of `references`, the number its graph gives the chunk it
    /// names (`ChunkGraph.numbers`).
    let includes: [Int]
    /// The chapter line of `lines[0]`.
    public let firstLine: Int
    public let baseColumn: Int
    public let fenceLocation: SourceLocation
    /// The piece's place among the pieces its graph has taken in (0, 1,
    /// ...): what caches of expanded pieces key on.
    let number: Int

    init(_ block: CodeBlock, references: [Reference], includes: [Int], of chapter: Chapter, mode: ChunkMode, number: Int) {
        self.chapter = chapter.path
        chapterNumber = chapter.number
        self.mode = mode
        lines = block.lines
        self.references = references
        self.includes = includes
        firstLine = block.firstLine
        baseColumn = block.baseColumn
        fenceLocation = block.fenceLocation
        self.number = number
    }

    /// The code block the piece comes from.
    var key: BlockKey { BlockKey(chapter: fenceLocation.file, line: fenceLocation.line) }

    /// Where `lines[index]` sits in the chapter, at `column` (0-based) of it.
    func location(ofLine index: Int, column: Int = 0) -> SourceLocation {
        SourceLocation(file: chapter, line: firstLine + index, column: baseColumn + column)
    }
}

/// A graph holds one piece for each block it took in: equal pieces are the
/// same piece.
extension ChunkPiece: Hashable {
    public static func == (left: ChunkPiece, right: ChunkPiece) -> Bool { left === right }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }
}

/// A file or named chunk as it stands after the chapters read so far:
/// the pieces that `append` added, after the last `replace`. A chapter that
/// changes it makes a new one.
public final class Chunk: Sendable {
    public let target: ChunkTarget
    public let pieces: [ChunkPiece]
    /// Where the target was first defined (for "first defined here" notes).
    public let definition: SourceLocation

    init(target: ChunkTarget, pieces: [ChunkPiece], definition: SourceLocation) {
        self.target = target
        self.pieces = pieces
        self.definition = definition
    }
}

/// The chunks of a book: every file and named chunk, built from the code
/// blocks of its chapters in chapter order.
///
/// Every target gets a number when it is first defined or referenced, and
/// each piece holds the numbers of the chunks its references name: walking
/// the graph looks chunks up by number, not by name.
public struct ChunkGraph: Sendable {
    /// The number of every target defined or referenced so far.
    private(set) var numbers: [ChunkTarget: Int] = [:]
    /// The target of each number.
    private(set) var targets: [ChunkTarget] = []
    /// The chunk of each number; nil while its target is not defined.
    private(set) var numbered: [Chunk?] = []
    /// File targets in the order they were first defined.
    public private(set) var files: [String] = []
    /// The number of pieces taken in so far (`ChunkPiece.number`).
    private var pieceCount = 0

    public init(chapters: [Chapter]) throws {
        var log = DiagnosticLog()
        self.init(chapters: chapters, log: &log)
        try log.throwIfErrors()
    }

    /// Appends and replaces of targets not defined yet: the diagnostic's
    /// number in the log, to add a note when a later block defines them.
    private var early: [(target: ChunkTarget, diagnostic: Int)] = []

    init(chapters: [Chapter], log: inout DiagnosticLog) {
        self.init(parsed: ParsedChapter.all(chapters), log: &log)
    }

    /// The graph of chapters already parsed (see `ParsedChapter`).
    init(parsed chapters: [ParsedChapter], log: inout DiagnosticLog) {
        for chapter in chapters { add(chapter, log: &log) }
        for (target, diagnostic) in early {
            if let chunk = self[target] {
                log.addNote(.note("\(target) is defined later, here; a block can only change what comes before it", at: chunk.definition), toDiagnostic: diagnostic)
            }
        }
        early = []
    }

    /// Reads the next chapter's code blocks; returns the targets whose
    /// pieces it defined, appended to or replaced.
    @discardableResult
    mutating func add(_ chapter: ParsedChapter, log: inout DiagnosticLog) -> Set<ChunkTarget> {
        var changed: Set<ChunkTarget> = []
        for block in chapter.blocks {
            if let target = add(block, of: chapter.chapter, log: &log) { changed.insert(target) }
        }
        return changed
    }

    /// Adds one code block; returns its target when the block changed it.
    private mutating func add(_ parsedBlock: ParsedChapter.ParsedBlock, of chapter: Chapter, log: inout DiagnosticLog) -> ChunkTarget? {
        let block = parsedBlock.block
        log.report(contentsOf: parsedBlock.attributeErrors)
        let parsed = parsedBlock.attributes
        if !block.isTerminated {
            log.report(.error("unterminated code fence: the chapter ends before the closing fence", at: block.fenceLocation))
            return nil
        }
        guard let attributes = parsed, let target = attributes.target else { return nil }
        if case .file(let path) = target, let problem = OutputPath.problem(with: path) {
            var location = block.infoLocation
            location.column += block.info.range(of: path).map { block.info.distance(from: block.info.startIndex, to: $0.lowerBound) } ?? 0
            log.report(.error(problem, at: location))
            return nil
        }
        log.report(contentsOf: parsedBlock.indentationWarnings)
        var includes: [Int] = []
        for reference in parsedBlock.references { includes.append(number(of: .named(reference.name))) }
        let piece = ChunkPiece(
            block, references: parsedBlock.references, includes: includes, of: chapter, mode: attributes.mode, number: pieceCount)
        pieceCount += 1
        let targetNumber = number(of: target)
        switch (numbered[targetNumber], attributes.mode) {
        case (nil, .define):
            numbered[targetNumber] = Chunk(target: target, pieces: [piece], definition: block.fenceLocation)
            if case .file(let path) = target { files.append(path) }
        case (nil, .append), (nil, .replace):
            let verb = attributes.mode == .append ? "append to" : "replace"
            early.append((target, log.all.count))
            log.report(.error("cannot \(verb) \(target): it is not defined in this or an earlier chapter", at: block.fenceLocation))
            return nil
        case (let existing?, .define):
            log.report(.error(
                "\(target) is already defined; mark this block 'append' or 'replace' to change it",
                at: block.fenceLocation,
                notes: [.note("first defined here", at: existing.definition)]
            ))
            return nil
        case (let existing?, .append):
            numbered[targetNumber] = Chunk(target: target, pieces: existing.pieces + [piece], definition: existing.definition)
        case (let existing?, .replace):
            numbered[targetNumber] = Chunk(target: target, pieces: [piece], definition: existing.definition)
        }
        return target
    }

    /// The number of `target`, given now if it has none yet.
    private mutating func number(of target: ChunkTarget) -> Int {
        if let known = numbers[target] { return known }
        numbers[target] = targets.count
        targets.append(target)
        numbered.append(nil)
        return targets.count - 1
    }

    /// The chunk of `target`, nil when it is not defined.
    public subscript(target: ChunkTarget) -> Chunk? {
        numbers[target].flatMap { numbered[$0] }
    }

    /// Every defined chunk, in the order its target was first met.
    public var chunks: [Chunk] {
        numbered.compactMap { $0 }
    }
}

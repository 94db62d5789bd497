/// The code states of a book, chapter after chapter, each built from the one
/// before: the chunk graph takes in one more chapter, and only the files that
/// reach a chunk this chapter changed are put together again. A file that
/// reaches no changed chunk expands the same pieces as before, so it would
/// come out the same, byte for byte.
///
/// A state holds what the site's diffs compare: each file's code lines,
/// without line markers (`ChapterChanges.code(of:)`), as numbers of a
/// `NumberedLines`. Every piece of code is turned into numbers once for
/// each indentation and comment style it is expanded with, and chunks,
/// pieces and indentations are numbered too, so putting a file together
/// again mostly copies numbers.
struct CodeStates {
    /// The chunks of the chapters read so far.
    private(set) var graph: ChunkGraph
    /// The code lines of every file after the chapters read so far, in
    /// the order `Tangler.tangle` gives them.
    private(set) var files: [(path: String, code: [Int32])] = []
    /// The text of the numbers in `files`.
    private(set) var lines = NumberedLines()

    /// A file or named chunk: the numbers of its pieces, nil while it is
    /// not defined.
    private struct Node {
        var target: ChunkTarget
        /// The nodes whose pieces reference this one.
        var users: Set<Int32> = []
        /// The nodes this one's pieces reference.
        var references: Set<Int32> = []
    }

    private var nodes: [Node] = []
    /// Each node's pieces, by number, and whether it is defined.
    private var nodePieces: [[Int32]] = []
    private var defined: [Bool] = []
    private var nodeNumbers: [ChunkTarget: Int32] = [:]
    /// Every piece seen so far, by number.
    private var pieces: [ChunkPiece] = []
    private var pieceNumbers: [BlockKey: Int32] = [:]
    /// Indentations by number; 0 is "".
    private var indents = NumberedLines()
    /// The number of indentation a + b, by a << 32 | b.
    private var joinedIndents: [Int: Int32] = [:]
    /// The compiled form of each piece for the first indentation and
    /// style it was expanded with (usually the only one), by piece.
    private var compiled: [CompiledPiece?] = []
    /// The others, by piece << 32 | indentation << 8 | style.
    private var otherCompiled: [Int: CompiledPiece] = [:]
    /// The named nodes on the stack of the expansion under way.
    private var onStack: [Bool] = []

    init() {
        var ignored = DiagnosticLog()
        graph = ChunkGraph(chapters: [], log: &ignored)
        _ = indents.number("")
    }

    /// Reads the next chapter. Diagnostics are not kept: `book check` and
    /// `book tangle --upto` report them.
    mutating func read(_ chapter: ParsedChapter) {
        var ignored = DiagnosticLog()
        let changed = graph.add(chapter, log: &ignored)
        var changedNodes: [Int32] = []
        for target in changed {
            let node = node(for: target)
            update(node)
            changedNodes.append(node)
        }
        let stale = files(reaching: changedNodes)
        let previous = Dictionary(files.map { ($0.path, $0.code) }, uniquingKeysWith: { first, _ in first })
        var updated: [(path: String, code: [Int32])] = []
        updated.reserveCapacity(graph.files.count)
        for path in graph.files {
            if !stale.contains(path), let code = previous[path] {
                updated.append((path, code))
            } else {
                updated.append((path, code(of: path)))
            }
        }
        files = updated
    }

    private mutating func node(for target: ChunkTarget) -> Int32 {
        if let known = nodeNumbers[target] { return known }
        let number = Int32(nodes.count)
        nodes.append(Node(target: target))
        nodePieces.append([])
        defined.append(false)
        onStack.append(false)
        nodeNumbers[target] = number
        return number
    }

    /// Takes in the pieces a chapter gave `node`, and what they reference.
    private mutating func update(_ node: Int32) {
        let chunkPieces = graph.chunks[nodes[Int(node)].target]?.pieces ?? []
        var numbers: [Int32] = []
        var references: Set<Int32> = []
        for piece in chunkPieces {
            if let known = pieceNumbers[piece.key] {
                numbers.append(known)
            } else {
                let number = Int32(pieces.count)
                pieces.append(piece)
                compiled.append(nil)
                pieceNumbers[piece.key] = number
                numbers.append(number)
            }
            for name in piece.referenceNames { references.insert(self.node(for: .named(name))) }
        }
        for gone in nodes[Int(node)].references.subtracting(references) { nodes[Int(gone)].users.remove(node) }
        for reference in references { nodes[Int(reference)].users.insert(node) }
        nodes[Int(node)].references = references
        nodePieces[Int(node)] = numbers
        defined[Int(node)] = graph.chunks[nodes[Int(node)].target] != nil
    }

    /// The files whose expansion may include one of `changed`: the files
    /// among them and among everything that references them, directly or
    /// through other chunks.
    private func files(reaching changed: [Int32]) -> Set<String> {
        var seen = Set(changed)
        var pending = changed
        var paths: Set<String> = []
        while let node = pending.popLast() {
            if case .file(let path) = nodes[Int(node)].target { paths.insert(path) }
            for user in nodes[Int(node)].users where seen.insert(user).inserted { pending.append(user) }
        }
        return paths
    }

    /// A file's code lines as numbers: its chunks expanded as
    /// `Tangler.expand` does (references to chunks on the stack of the
    /// expansion and to undefined chunks are left out), markers dropped.
    private mutating func code(of path: String) -> [Int32] {
        let style = CommentStyle(path: path) ?? .hash
        var code: [Int32] = []
        var carriageReturn = false
        expand(nodeNumbers[.file(path)]!, indent: 0, style: style, into: &code, carriageReturn: &carriageReturn)
        guard carriageReturn else { return code }
        // A "\r" before the "\n" that joins two lines makes one Character
        // of them, and `ChapterChanges.code(of:)` splits the body by
        // Characters: take that path, rare as it is.
        var tangler = Tangler(graph: graph)
        tangler.reportsReferenceErrors = false
        var used: Set<String> = [], ignored = DiagnosticLog()
        let file = tangler.tangleFile(path, used: &used, log: &ignored)
        return ChapterChanges.code(of: file).map { lines.number($0) }
    }

    private mutating func expand(
        _ node: Int32, indent: Int32, style: CommentStyle, into code: inout [Int32], carriageReturn: inout Bool
    ) {
        for piece in nodePieces[Int(node)] {
            let compiled = compiled(piece, indent: indent, style: style)
            if compiled.carriageReturn { carriageReturn = true }
            var start = 0
            for step in compiled.references {
                code.append(contentsOf: compiled.lines[start..<step.linesBefore])
                start = step.linesBefore
                let child = Int(step.node)
                guard !onStack[child], defined[child] else { continue }
                onStack[child] = true
                expand(step.node, indent: step.childIndent, style: style, into: &code, carriageReturn: &carriageReturn)
                onStack[child] = false
                if step.markerAfter >= 0 { code.append(step.markerAfter) }
            }
            code.append(contentsOf: compiled.lines[start...])
        }
    }

    private mutating func joined(_ indent: Int32, _ more: Int32) -> Int32 {
        if more == 0 { return indent }
        let key = Int(indent) << 32 | Int(more)
        if let known = joinedIndents[key] { return known }
        let number = indents.number(indents[indent] + indents[more])
        joinedIndents[key] = number
        return number
    }

    private mutating func compiled(_ piece: Int32, indent: Int32, style: CommentStyle) -> CompiledPiece {
        let key = Int(indent) << 8 | Int(style.number)
        if let first = compiled[Int(piece)] {
            if first.key == key { return first }
            if let other = otherCompiled[Int(piece) << 32 | key] { return other }
        }
        let result = compile(pieces[Int(piece)], indent: indent, style: style)
        result.key = key
        if compiled[Int(piece)] == nil {
            compiled[Int(piece)] = result
        } else {
            otherCompiled[Int(piece) << 32 | key] = result
        }
        return result
    }

    /// Turns a piece into numbers for one indentation and style: the
    /// lines `Tangler` writes for it, the markers among them dropped (a
    /// marker `LineMarker.parse` does not recognise, for a chapter path
    /// it cannot read, stays, as it does in the body).
    private mutating func compile(_ piece: ChunkPiece, indent indentNumber: Int32, style: CommentStyle) -> CompiledPiece {
        let indent = indents[indentNumber]
        let result = CompiledPiece()
        func number(_ line: String) -> Int32 {
            if line.containsByte(13) { result.carriageReturn = true }
            return lines.number(line)
        }
        func marker(line index: Int) -> Int32? {
            guard let marker = style.lineMarker else { return nil }
            let line = (marker.isIndented ? indent : "") + marker.render(file: piece.chapter, line: piece.firstLine + index)
            return marker.isMarker(line) ? nil : number(line)
        }
        if let first = marker(line: 0) { result.lines.append(first) }
        for (index, line) in piece.lines.enumerated() {
            if let reference = Reference(line: line) {
                let after = index + 1 < piece.lines.count ? marker(line: index + 1) : nil
                result.references.append(.init(
                    linesBefore: result.lines.count, node: node(for: .named(reference.name)),
                    childIndent: joined(indentNumber, indents.number(reference.indent)), markerAfter: after ?? -1))
                continue
            }
            // The indentation is blanks, which `isLineMarker` skips.
            guard !style.isLineMarker(line) else { continue }
            result.lines.append(number(line.isEmpty ? "" : indent + line))
        }
        return result
    }
}

/// A piece of code as numbered lines, for one indentation and style.
private final class CompiledPiece {
    /// The indentation and style (`CodeStates.compiled`).
    var key = 0
    /// A `<<name>>` line.
    struct Reference {
        /// The number of `lines` before it.
        var linesBefore: Int
        var node: Int32
        /// The indentation the referenced chunk is expanded with (the
        /// piece's and the reference's own).
        var childIndent: Int32
        /// The marker that follows the expansion when it stays, else -1.
        var markerAfter: Int32
    }

    /// The lines written as they are (code, and the markers that stay).
    var lines: [Int32] = []
    var references: [Reference] = []
    /// Whether a line holds a "\r".
    var carriageReturn = false
}

private extension CommentStyle {
    var number: Int {
        switch self {
        case .swift: 0
        case .cpp: 1
        case .blockComment: 2
        case .html: 3
        case .hash: 4
        }
    }
}

/// Lines as numbers: equal lines get equal numbers, so that comparing
/// two texts compares numbers. (An open-addressing table of numbers by
/// hash value: a `[String: Int32]` spends most of its time resizing and
/// missing the cache.)
struct NumberedLines {
    private(set) var strings: [String] = []
    private var hashes: [Int] = []
    /// Number + 1 of the line in each slot, 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1 << 10)

    mutating func number(_ line: String) -> Int32 {
        let hash = line.hashValue
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let number = Int(slots[slot] - 1)
            if hashes[number] == hash, strings[number] == line { return Int32(number) }
            slot = (slot + 1) & mask
        }
        let number = Int32(strings.count)
        strings.append(line)
        hashes.append(hash)
        slots[slot] = number + 1
        if strings.count * 2 > slots.count { grow() }
        return number
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(number + 1)
        }
    }

    subscript(number: Int32) -> String { strings[Int(number)] }
}

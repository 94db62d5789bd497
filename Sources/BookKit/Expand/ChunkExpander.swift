/// The one walk of a file's expansion: its pieces in order, each
/// `<<reference>>` replaced by the pieces of the chunk it names, indented
/// by the reference's indentation. A reference to a chunk that is being
/// expanded (a cycle) or to no chunk at all includes nothing.
///
/// Tangling, the bare export, the site's code states and tangled-file
/// pages, and `book debug`'s chunk breakpoints are visitors of this walk
/// (`ExpansionVisitor`): what they write differs, the order of the lines
/// and which references are followed do not.
struct ChunkExpander {
    let graph: ChunkGraph

    /// Walks the expansion of file `path` (nothing when it is not defined).
    func expand<Visitor: ExpansionVisitor>(file path: String, into visitor: inout Visitor) {
        guard let chunk = graph[.file(path)] else { return }
        expand(chunk, into: &visitor)
    }

    /// Walks the expansion of `chunk` as if a file held only it.
    func expand<Visitor: ExpansionVisitor>(_ chunk: Chunk, into visitor: inout Visitor) {
        var walk = Walk(graph: graph)
        walk.expand(chunk, indent: "", into: &visitor)
    }

    /// The state of one walk: the chunks being expanded, and the number of
    /// pieces entered so far.
    private struct Walk {
        let graph: ChunkGraph
        var stack: [ExpansionFrame] = []
        var occurrences = 0

        init(graph: ChunkGraph) {
            self.graph = graph
            stack.reserveCapacity(16)
        }

        mutating func expand<Visitor: ExpansionVisitor>(_ chunk: Chunk, indent: String, into visitor: inout Visitor) {
            for piece in chunk.pieces {
                let visit = PieceVisit(piece: piece, chunk: chunk, indent: indent, occurrence: occurrences)
                occurrences += 1
                visitor.enter(visit)
                var next = 0  // the first line of the piece not reported yet
                for position in piece.references.indices {
                    let line = piece.references[position].index
                    if next < line { visitor.code(next..<line, of: visit) }
                    next = line + 1
                    let number = piece.includes[position]
                    if let first = stack.firstIndex(where: { $0.number == number }) {
                        visitor.skip(piece.references[position], of: visit, cycle: stack[first...])
                    } else if let included = graph.numbered[number] {
                        stack.append(ExpansionFrame(number: number, piece: piece, position: position))
                        let more = piece.references[position].indent
                        expand(included, indent: more.isEmpty ? indent : indent + more, into: &visitor)
                        stack.removeLast()
                        if next < piece.lines.count { visitor.resume(at: next, of: visit) }
                    } else {
                        visitor.skip(piece.references[position], of: visit, cycle: nil)
                    }
                }
                if next < piece.lines.count { visitor.code(next..<piece.lines.count, of: visit) }
            }
        }
    }
}

/// One expansion of a piece, as the walk meets it.
struct PieceVisit {
    var piece: ChunkPiece
    /// The file or chunk the piece is part of.
    var chunk: Chunk
    /// What the references that led here add before each line.
    var indent: String
    /// How many pieces the walk entered before this one: a chunk included
    /// twice has each of its pieces expanded twice, with two numbers.
    var occurrence: Int

    var target: ChunkTarget { chunk.target }
}

/// A chunk being expanded: its number in the graph, and the reference
/// that included it (`piece.references[position]`).
struct ExpansionFrame {
    var number: Int
    var piece: ChunkPiece
    var position: Int

    var name: String { piece.references[position].name }

    /// Where the reference is.
    var location: SourceLocation {
        let reference = piece.references[position]
        return piece.location(ofLine: reference.index, column: reference.column)
    }
}

/// What a walk of an expansion reports, in the order of the expanded
/// lines. Every event has a default that ignores it.
protocol ExpansionVisitor {
    /// A piece starts.
    mutating func enter(_ visit: PieceVisit)
    /// `lines` of the piece are code, each to be indented by `visit.indent`.
    mutating func code(_ lines: Range<Int>, of visit: PieceVisit)
    /// The chunk a reference of the piece included has ended; the piece
    /// goes on at line `index`.
    mutating func resume(at index: Int, of visit: PieceVisit)
    /// `reference` includes nothing: it names a chunk being expanded
    /// (`cycle`: the frames from that chunk's on) or, when `cycle` is nil,
    /// no chunk at all.
    mutating func skip(_ reference: Reference, of visit: PieceVisit, cycle: ArraySlice<ExpansionFrame>?)
}

extension ExpansionVisitor {
    mutating func enter(_ visit: PieceVisit) {}
    mutating func code(_ lines: Range<Int>, of visit: PieceVisit) {}
    mutating func resume(at index: Int, of visit: PieceVisit) {}
    mutating func skip(_ reference: Reference, of visit: PieceVisit, cycle: ArraySlice<ExpansionFrame>?) {}
}

/// A file's code lines as the site's diffs compare them: the lines
/// `TangledBody` writes, without the line markers (`ChapterChanges.code(of:)`
/// drops them), as numbers of `NumberedLines`.
///
/// Each piece is numbered once for each indentation and comment style it is
/// expanded with (`NumberedPieces`), so expanding a file again mostly copies
/// numbers.
struct NumberedCode: ExpansionVisitor {
    let style: CommentStyle
    let pieces: NumberedPieces
    private(set) var code: [Int32] = []
    /// The pieces entered so far, numbered, by `PieceVisit.occurrence`.
    private var entered: [NumberedPiece] = []

    init(path: String, pieces: NumberedPieces) {
        style = CommentStyle(path: path) ?? .hash
        self.pieces = pieces
    }

    mutating func enter(_ visit: PieceVisit) {
        let piece = pieces.numbered(visit, style: style)
        entered.append(piece)
        piece.appendMarker(line: 0, to: &code)
    }

    mutating func code(_ lines: Range<Int>, of visit: PieceVisit) {
        entered[visit.occurrence].appendCode(lines, to: &code)
    }

    mutating func resume(at index: Int, of visit: PieceVisit) {
        entered[visit.occurrence].appendMarker(line: index, to: &code)
    }
}

/// The pieces of a book as numbered lines, each for the indentations and
/// styles it was expanded with, and the table of the lines' texts.
final class NumberedPieces {
    private(set) var lines = NumberedLines()
    /// Each piece for the first indentation and style it was expanded with
    /// (usually the only one), by `ChunkPiece.number`.
    private var first: [NumberedPiece?] = []
    /// The others.
    private var others: [Key: NumberedPiece] = [:]

    private struct Key: Hashable {
        var piece: Int
        var indent: String
        var style: CommentStyle
    }

    func numbered(_ visit: PieceVisit, style: CommentStyle) -> NumberedPiece {
        let number = visit.piece.number
        if number < first.count, let known = first[number] {
            if known.indent == visit.indent, known.style == style { return known }
            if let other = others[Key(piece: number, indent: visit.indent, style: style)] { return other }
        }
        let numbered = NumberedPiece(visit.piece, indent: visit.indent, style: style, lines: &lines)
        if number >= first.count { first += Array(repeating: nil, count: number + 1 - first.count) }
        if first[number] == nil {
            first[number] = numbered
        } else {
            others[Key(piece: number, indent: visit.indent, style: style)] = numbered
        }
        return numbered
    }
}

/// One piece as numbered lines, for one indentation and style: the lines
/// `TangledBody` writes for it, the markers among them dropped (a marker
/// `ChapterChanges.isLineMarker` does not recognise, for a chapter path it
/// cannot read, stays, as it does in the body).
final class NumberedPiece {
    let indent: String
    let style: CommentStyle
    /// The code lines that stay, in order.
    private var kept: [Int32] = []
    /// For each line index, how many of `kept` come before it (one more
    /// entry, for the end).
    private var keptBefore: [Int32] = []
    /// The marker before each line that has one and keeps it, else -1.
    private var markers: [Int32]

    init(_ piece: ChunkPiece, indent: String, style: CommentStyle, lines: inout NumberedLines) {
        self.indent = indent
        self.style = style
        markers = Array(repeating: -1, count: piece.lines.count + 1)
        // Markers start the piece and follow each reference.
        for index in [0] + piece.references.map({ $0.index + 1 }) where index == 0 || index < piece.lines.count {
            guard let marker = style.lineMarker else { continue }
            let line = (marker.isIndented ? indent : "") + marker.render(file: piece.chapter, line: piece.firstLine + index)
            // A marker `LineMarker.parse` does not recognise (a chapter
            // path with a blank) stays in the code, as in the diffs.
            if !marker.isMarker(line) { markers[index] = lines.number(line) }
        }
        keptBefore.reserveCapacity(piece.lines.count + 1)
        var references = piece.references.makeIterator()
        var reference = references.next()
        for (index, line) in piece.lines.enumerated() {
            keptBefore.append(Int32(kept.count))
            if index == reference?.index {
                reference = references.next()
                continue
            }
            // The indentation is blanks, which `isLineMarker` skips.
            guard !style.isLineMarker(line) else { continue }
            kept.append(lines.number(line.isEmpty ? "" : indent + line))
        }
        keptBefore.append(Int32(kept.count))
    }

    func appendMarker(line index: Int, to code: inout [Int32]) {
        if markers[index] >= 0 { code.append(markers[index]) }
    }

    func appendCode(_ lines: Range<Int>, to code: inout [Int32]) {
        code.append(contentsOf: kept[Int(keptBefore[lines.lowerBound])..<Int(keptBefore[lines.upperBound])])
    }
}

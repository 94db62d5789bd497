/// A register, descriptor or structure as rows of fields: `kind=bits`
/// numbers bits from the highest on the left (as the Intel SDM draws them),
/// `kind=bytes` numbers byte offsets from 0 on the left, 8 bytes a row.
///
/// ```
/// width 32                      // cells per row (bits: 32, bytes: 8)
/// 55      G     =1              // one bit, its name and value
/// 51..48  "Limit 19:16" =F muted
/// 43..40  Type  =1010 key
/// group 47..40 "access byte"    // a bracket under (bits) or beside (bytes)
/// legend muted "ignored in 64-bit mode"
/// ```
struct FieldFigure {
    struct Field {
        var first: Int
        var last: Int
        var name: String
        var value: String?
        var style: String?
    }

    struct Group {
        var first: Int
        var last: Int
        var label: String
    }

    var fields: [Field] = []
    var groups: [Group] = []
    var legend: [(style: String, text: String)] = []
    var width: Int
    let isBits: Bool

    init(lines: [FigureLine], unit: FigureKind) throws(FigureError) {
        isBits = unit == .bits
        width = isBits ? 32 : 8
        var covered: [Int: Int] = [:]  // cell -> line number, for overlap errors
        for line in lines {
            let head = line.words[0]
            switch head.text {
            case "width" where head.key == nil && !head.isQuoted:
                guard line.words.count == 2, let value = FigureNumber.parse(line.words[1].text), value > 0, value <= 64 else {
                    throw line.error("expected 'width N' with N from 1 to 64")
                }
                width = Int(value)
            case "group" where head.key == nil && !head.isQuoted:
                guard line.words.count == 3, line.words[2].isQuoted else { throw line.error("expected 'group FIRST..LAST \"label\"'") }
                let (a, b) = try FigureNumber.range(line.words[1])
                groups.append(Group(first: Int(min(a, b)), last: Int(max(a, b)), label: line.words[2].text))
            case "legend" where head.key == nil && !head.isQuoted:
                guard line.words.count == 3, FigureStyle.names.contains(line.words[1].text), line.words[2].isQuoted else {
                    throw line.error("expected 'legend key|muted \"text\"'")
                }
                legend.append((line.words[1].text, line.words[2].text))
            default:
                let (a, b) = try FigureNumber.range(head)
                guard line.words.count >= 2, line.words[1].key == nil else {
                    throw line.error("a field is 'RANGE NAME [=VALUE] [key|muted]'")
                }
                var field = Field(first: Int(min(a, b)), last: Int(max(a, b)), name: line.words[1].text, value: nil, style: nil)
                guard field.last < 4096 else { throw head.error("\(field.last) is too large for a figure") }
                for word in line.words.dropFirst(2) {
                    if word.key == "", !word.isQuoted {
                        field.value = word.text
                    } else if word.key == nil, !word.isQuoted, FigureStyle.names.contains(word.text) {
                        field.style = word.text
                    } else {
                        throw word.error("unexpected '\(word.text)' in a field (after the name: =VALUE, key or muted)")
                    }
                }
                for cell in field.first...field.last {
                    if covered[cell] != nil { throw head.error("\(isBits ? "bit" : "byte") \(cell) is in two fields") }
                    covered[cell] = line.location.line
                }
                fields.append(field)
            }
        }
        guard !fields.isEmpty else { throw FigureError(message: "a \(isBits ? "bits" : "bytes") figure needs at least one field", location: lines.first?.location) }
    }

    /// Row `r` holds the cells `rowCells(r)`, left to right.
    var rowCount: Int {
        let top = fields.map(\.last).max()! + 1
        return (top + width - 1) / width
    }

    func cells(ofRow row: Int) -> [Int] {
        if isBits {
            let high = (rowCount - row) * width - 1
            return Array(stride(from: high, through: high - width + 1, by: -1))
        }
        return Array(row * width..<(row + 1) * width)
    }

    func draw(into svg: inout SVG) throws(FigureError) {
        let cell: Double = isBits ? (width > 32 ? 14 : width <= 16 ? 36 : 24) : 64
        let left: Double = isBits ? 8 : 44
        let numbers: Double = 16, box: Double = 42
        let bracketBelow: Double = isBits ? 26 : 0
        let groupLabelWidth = isBits ? 0 : (groups.map { SVG.textWidth($0.label) }.max() ?? 0)
        let right: Double = groups.isEmpty || isBits ? 8 : 22 + groupLabelWidth + 8
        var y: Double = 4
        var rowTops: [Double] = []

        if !isBits {  // the byte numbers of a row, once, above the first row
            for column in 0..<width {
                svg.text(String(column), x: left + (Double(column) + 0.5) * cell, y: y + 11, kind: "num", size: 10)
            }
        }
        for row in 0..<rowCount {
            let cells = cells(ofRow: row)
            let boxTop = isBits || row == 0 ? y + numbers : y  // byte rows touch: one run of memory
            rowTops.append(boxTop)
            func x(_ cellNumber: Int) -> Double { left + Double(cells.firstIndex(of: cellNumber)!) * cell }
            if !isBits {
                svg.text("+\(cells[0])", x: left - 6, y: boxTop + box / 2 + 4, anchor: .end, kind: "num", size: 10)
            }
            // Fields, or the pieces of fields in this row; uncovered cells as muted runs.
            var pieces: [(first: Int, last: Int, field: Field?)] = []
            var gap: [Int] = []
            func flushGap() {
                if let a = gap.first, let b = gap.last { pieces.append((min(a, b), max(a, b), nil)) }
                gap = []
            }
            var cellIndex = 0
            while cellIndex < cells.count {
                let number = cells[cellIndex]
                if let field = fields.first(where: { $0.first <= number && number <= $0.last }) {
                    flushGap()
                    let inRow = cells.filter { field.first <= $0 && $0 <= field.last }
                    pieces.append((inRow.min()!, inRow.max()!, field))
                    cellIndex += inRow.count
                } else {
                    gap.append(number)
                    cellIndex += 1
                }
            }
            flushGap()
            for piece in pieces {
                let x0 = min(x(piece.first), x(piece.last))
                let w = Double(piece.last - piece.first + 1) * cell
                svg.rect(x: x0, y: boxTop, width: w, height: box, style: piece.field?.style ?? (piece.field == nil ? "muted" : nil))
                if isBits {  // bit numbers at the piece's edges
                    let (high, low) = (piece.last, piece.first)
                    if high == low {
                        svg.text(String(high), x: x0 + w / 2, y: boxTop - 4, kind: "num", size: 10)
                    } else {
                        svg.text(String(high), x: x0 + 2, y: boxTop - 4, anchor: .start, kind: "num", size: 10)
                        svg.text(String(low), x: x0 + w - 2, y: boxTop - 4, anchor: .end, kind: "num", size: 10)
                    }
                }
                guard let field = piece.field else { continue }
                // The name goes into the field's largest piece; other pieces say "…".
                let largest = largestPiece(of: field)
                let isMain = largest == (piece.first, piece.last)
                let name = isMain ? field.name : "… \(field.name)"
                let size = fittingSize(name, width: w - 4)
                let center = x0 + w / 2
                if let value = field.value, isMain {
                    svg.text(name, x: center, y: boxTop + 17, size: size)
                    svg.text(value, x: center, y: boxTop + 33, kind: "mono", size: min(11, fittingSize(value, width: w - 4, mono: true) ?? 11))
                } else {
                    svg.text(name, x: center, y: boxTop + box / 2 + 4, kind: isMain ? "label" : "note", size: size)
                }
            }
            y = boxTop + box
            if isBits {
                let rowGroups = groups.filter { group in cells.contains(group.first) || cells.contains(group.last) }
                for group in rowGroups {
                    let inRow = cells.filter { group.first <= $0 && $0 <= group.last }
                    let x0 = x(inRow.max()!), x1 = x(inRow.min()!) + cell
                    svg.path([(x0 + 1, y + 4), (x0 + 1, y + 9), (x1 - 1, y + 9), (x1 - 1, y + 4)], kind: "bracket")
                    svg.text(group.label, x: (x0 + x1) / 2, y: y + 22, kind: "note", size: 11)
                }
                y += rowGroups.isEmpty ? 10 : bracketBelow
            }
        }
        if !isBits {  // brackets beside the rows of each group
            let x0 = left + Double(width) * cell + 6
            for group in groups {
                let firstRow = group.first / width, lastRow = group.last / width
                let top = rowTops[firstRow] + 3
                let bottom = rowTops[lastRow] + box - 3
                svg.path([(x0, top), (x0 + 6, top), (x0 + 6, bottom), (x0, bottom)], kind: "bracket")
                svg.text(group.label, x: x0 + 12, y: (top + bottom) / 2 + 4, anchor: .start, kind: "note", size: 11)
            }
            y += 10
        }
        let contentWidth = left + Double(width) * cell + right
        y = drawLegend(into: &svg, top: y, left: left)
        svg.width = contentWidth
        svg.height = y
    }

    func drawLegend(into svg: inout SVG, top: Double, left: Double) -> Double {
        guard !legend.isEmpty else { return top }
        var x = left
        for entry in legend {
            svg.rect(x: x, y: top + 2, width: 18, height: 12, style: entry.style)
            svg.text(entry.text, x: x + 24, y: top + 12, anchor: .start, kind: "note", size: 11)
            x += 24 + SVG.textWidth(entry.text, size: 11) + 18
        }
        return top + 22
    }

    func largestPiece(of field: Field) -> (Int, Int) {
        var best: (Int, Int) = (field.first, field.last)
        var bestCount = -1
        for row in 0..<rowCount {
            let inRow = cells(ofRow: row).filter { field.first <= $0 && $0 <= field.last }
            if inRow.count > bestCount, let a = inRow.min(), let b = inRow.max() {
                best = (a, b)
                bestCount = inRow.count
            }
        }
        return best
    }

    /// 12 px, or smaller down to 8 px when the text would not fit.
    func fittingSize(_ text: String, width: Double, mono: Bool = false) -> Double? {
        for size in [12.0, 11, 10, 9, 8] where SVG.textWidth(text, size: size, mono: mono) <= width {
            return size == 12 ? nil : size
        }
        return 8
    }
}

/// Address spaces side by side, each a stack of address ranges with the
/// highest address on top (not to scale: every range gets the same
/// height, gaps between ranges are shown as breaks), and arrows from
/// ranges to the ranges they map onto.
///
/// ```
/// column "Virtual"                          // a new column
/// region 0xffffffff80200000 0xffffffff80400000 "Swift code" id=high key
/// region 0x0 0x100000000 "identity map" "virtual = physical"
/// column "Physical"
/// region 0x200000 0x400000 "swiftboot" id=image
/// arrow high image "page tables"
/// ```
///
/// The first column prints its addresses on the left, the last on the
/// right, the ones in between inside the boxes.
struct MemoryFigure {
    struct Region {
        var start: UInt64
        var end: UInt64
        var startText: String
        var endText: String
        var label: String
        var note: String?
        var id: String?
        var style: String?
    }

    struct Column {
        var title: String
        var regions: [Region] = []
    }

    struct Arrow {
        var from: String
        var to: String
        var label: String?
        var line: FigureLine
    }

    var columns: [Column] = []
    var arrows: [Arrow] = []

    init(lines: [FigureLine]) throws(FigureError) {
        var ids: Set<String> = []
        for line in lines {
            switch line.keyword {
            case "column":
                guard line.words.count == 2, line.words[1].isQuoted else { throw line.error("expected 'column \"title\"'") }
                columns.append(Column(title: line.words[1].text))
            case "region":
                guard !columns.isEmpty else { throw line.error("a region belongs to a column: start with 'column \"title\"'") }
                guard line.words.count >= 4, line.words[3].isQuoted,
                      let start = FigureNumber.parse(line.words[1].text), let end = FigureNumber.parse(line.words[2].text)
                else { throw line.error("expected 'region START END \"label\" [\"note\"] [id=NAME] [key|muted]'") }
                guard start < end else { throw line.words[2].error("a region ends after it starts") }
                let quoted = line.quoted
                let region = Region(
                    start: start, end: end, startText: line.words[1].text, endText: line.words[2].text,
                    label: quoted[0], note: quoted.count > 1 ? quoted[1] : nil, id: line.value("id"), style: line.style)
                if let id = region.id {
                    guard ids.insert(id).inserted else { throw line.error("two regions are called '\(id)'") }
                }
                for other in columns[columns.count - 1].regions where other.start < end && start < other.end {
                    throw line.error("the region overlaps '\(other.label)' in the same column")
                }
                columns[columns.count - 1].regions.append(region)
            case "arrow":
                guard line.words.count >= 3 else { throw line.error("expected 'arrow FROM TO [\"label\"]'") }
                arrows.append(Arrow(from: line.words[1].text, to: line.words[2].text, label: line.quoted.first, line: line))
            default:
                throw line.words[0].error("unknown item '\(line.keyword)' in a memory figure (column, region, arrow)")
            }
        }
        for arrow in arrows {
            for id in [arrow.from, arrow.to] where !ids.contains(id) {
                throw arrow.line.error("no region has id=\(id)")
            }
        }
        guard columns.contains(where: { !$0.regions.isEmpty }) else {
            throw FigureError(message: "a memory figure needs a column with regions", location: lines.first?.location)
        }
    }

    enum LabelSide { case left, right, inside }

    func draw(into svg: inout SVG) throws(FigureError) {
        let boxHeight: Double = 40, noteHeight: Double = 14, breakHeight: Double = 22, gapBetween: Double = 110
        let addressSize: Double = 10.5
        var x: Double = 8
        var boxes: [String: (x: Double, y: Double, w: Double, h: Double, column: Int)] = [:]
        let top: Double = 26
        var bottom: Double = top

        for (index, column) in columns.enumerated() {
            let side: LabelSide = index == 0 ? .left : index == columns.count - 1 ? .right : .inside
            let regions = column.regions.sorted { $0.start > $1.start }
            let addressWidth = regions.flatMap { [$0.startText, $0.endText] }
                .map { SVG.textWidth($0, size: addressSize, mono: true) }.max() ?? 0
            var boxWidth = regions.map { region -> Double in
                var widths = [SVG.textWidth(region.label), SVG.textWidth(region.note ?? "", size: 11)]
                if side == .inside { widths.append(SVG.textWidth("\(region.startText) – \(region.endText)", size: addressSize, mono: true)) }
                return widths.max()! + 20
            }.max() ?? 120
            boxWidth = max(boxWidth, 130, SVG.textWidth(column.title, size: 12) + 10)
            let boxX = side == .left ? x + addressWidth + 8 : x
            svg.text(column.title, x: boxX + boxWidth / 2, y: 14, kind: "title")
            var y = top
            var previous: Region?
            for region in regions {
                if let previous, previous.start != region.end {  // a break: memory left out
                    y += breakHeight
                    svg.line(x1: boxX + boxWidth / 2, y1: y - breakHeight + 4, x2: boxX + boxWidth / 2, y2: y - 4, kind: "break")
                }
                let height = boxHeight + (region.note == nil ? 0 : noteHeight) + (side == .inside ? noteHeight : 0)
                svg.rect(x: boxX, y: y, width: boxWidth, height: height, style: region.style)
                var textY = y + 17
                svg.text(region.label, x: boxX + boxWidth / 2, y: textY)
                if let note = region.note {
                    textY += noteHeight
                    svg.text(note, x: boxX + boxWidth / 2, y: textY, kind: "note", size: 11)
                }
                if side == .inside {
                    textY += noteHeight
                    svg.text("\(region.startText) – \(region.endText)", x: boxX + boxWidth / 2, y: textY, kind: "addr", size: addressSize)
                } else {
                    let labelX = side == .left ? boxX - 6 : boxX + boxWidth + 6
                    let anchor: SVG.Anchor = side == .left ? .end : .start
                    if previous?.start != region.end {
                        svg.text(region.endText, x: labelX, y: y + 4, anchor: anchor, kind: "addr", size: addressSize)
                    }
                    svg.text(region.startText, x: labelX, y: y + height + 4, anchor: anchor, kind: "addr", size: addressSize)
                }
                if let id = region.id { boxes[id] = (boxX, y, boxWidth, height, index) }
                y += height
                previous = region
            }
            bottom = max(bottom, y)
            x = boxX + boxWidth + (side == .left ? 0 : 0)
            if side == .right { x += addressWidth + 8 }
            if index < columns.count - 1 { x += gapBetween }
        }

        for arrow in arrows {
            guard let from = boxes[arrow.from], let to = boxes[arrow.to] else { continue }
            let rightwards = from.column <= to.column
            let start = (rightwards ? from.x + from.w : from.x, from.y + from.h / 2)
            let end = (rightwards ? to.x - 2 : to.x + to.w + 2, to.y + to.h / 2)
            svg.path([start, end], curved: true, arrow: true)
            if let label = arrow.label {
                svg.text(label, x: (start.0 + end.0) / 2, y: (start.1 + end.1) / 2 - 5, kind: "edge-label", size: 11)
            }
        }
        svg.width = x + 8
        svg.height = bottom + 10
    }
}

/// Tables whose slots point to further tables or to pages, drawn from left
/// to right: the page-table tree. Each table shows only the slots that the
/// description uses, each with its label; an arrow goes from a slot to
/// what it points to.
///
/// ```
/// table pml4 "PML4" "CR3 points here"
/// table pdpt "PDPT"
/// page  huge "2 MiB page" "rwx" key
/// pml4[0] -> pdpt "identity map"
/// pdpt[0..3] -> huge
/// ```
struct TreeFigure {
    struct Node {
        var id: String
        var title: String
        var note: String?
        var isTable: Bool
        var style: String?
        /// Slots in the order the description uses them.
        var slots: [Slot] = []
    }

    struct Slot {
        var text: String
        var label: String?
        var target: String
    }

    var nodes: [Node] = []

    init(lines: [FigureLine]) throws(FigureError) {
        var index: [String: Int] = [:]
        var edges: [(line: FigureLine, from: String, slot: String, to: String, label: String?)] = []
        for line in lines {
            switch line.keyword {
            case "table", "page":
                guard line.words.count >= 3, !line.words[1].isQuoted, line.words[2].isQuoted else {
                    throw line.error("expected '\(line.keyword) ID \"title\" [\"note\"]\(line.keyword == "page" ? " [key|muted]" : "")'")
                }
                let id = line.words[1].text
                guard index[id] == nil else { throw line.words[1].error("two nodes are called '\(id)'") }
                let quoted = line.quoted
                index[id] = nodes.count
                nodes.append(Node(id: id, title: quoted[0], note: quoted.count > 1 ? quoted[1] : nil,
                                  isTable: line.keyword == "table", style: line.style))
            default:
                let head = line.words[0].text
                guard line.words.count >= 3, line.words[1].text == "->", head.hasSuffix("]"),
                      let open = head.firstIndex(of: "["), open != head.startIndex
                else {
                    throw line.error("expected 'table ...', 'page ...' or 'TABLE[SLOT] -> TARGET [\"label\"]'")
                }
                let slot = String(head[head.index(after: open)..<head.index(before: head.endIndex)])
                edges.append((line, String(head[..<open]), slot, line.words[2].text, line.quoted.first))
            }
        }
        for edge in edges {
            guard let from = index[edge.from] else { throw edge.line.error("no table is called '\(edge.from)'") }
            guard nodes[from].isTable else { throw edge.line.error("'\(edge.from)' is a page; only tables have slots") }
            guard index[edge.to] != nil else { throw edge.line.error("nothing is called '\(edge.to)'") }
            nodes[from].slots.append(Slot(text: edge.slot.replacingOccurrences(of: "..", with: "–"), label: edge.label, target: edge.to))
        }
        guard !nodes.isEmpty else { throw FigureError(message: "a tree figure needs a table", location: lines.first?.location) }
        _ = try depths(index: index, lines: lines)
    }

    /// Each node's column: the longest way to it from a node nothing points to.
    func depths(index: [String: Int], lines: [FigureLine]) throws(FigureError) -> [Int] {
        var depth = Array(repeating: 0, count: nodes.count)
        // Longest paths by relaxation; more rounds than nodes means a cycle.
        for round in 0...nodes.count {
            var changed = false
            for (position, node) in nodes.enumerated() {
                for slot in node.slots {
                    let target = index[slot.target]!
                    if depth[target] < depth[position] + 1 { depth[target] = depth[position] + 1; changed = true }
                }
            }
            if !changed { break }
            if round == nodes.count { throw FigureError(message: "the tables point to each other in a circle", location: lines.first?.location) }
        }
        return depth
    }

    func draw(into svg: inout SVG) throws(FigureError) {
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() { index[node.id] = position }
        let depth = try depths(index: index, lines: [])
        let header: Double = 24, noteLine: Double = 14, row: Double = 22, gap: Double = 64, spacing: Double = 14

        func height(_ node: Node) -> Double {
            if node.isTable { return header + (node.note == nil ? 0 : noteLine) + Double(node.slots.count) * row }
            return 36 + (node.note == nil ? 0 : noteLine)
        }
        func rowText(_ slot: Slot) -> String { slot.label.map { "\(slot.text)  \($0)" } ?? slot.text }
        let columnCount = depth.max()! + 1
        var columnWidth = Array(repeating: 90.0, count: columnCount)
        for (position, node) in nodes.enumerated() {
            let widths = [SVG.textWidth(node.title, size: 12.5), SVG.textWidth(node.note ?? "", size: 11)]
                + node.slots.map { SVG.textWidth(rowText($0), size: 11.5) + 8 }
            columnWidth[depth[position]] = max(columnWidth[depth[position]], widths.max()! + 20)
        }
        var columnX: [Double] = [8]
        for column in 1..<max(columnCount, 1) { columnX.append(columnX[column - 1] + columnWidth[column - 1] + gap) }

        // Place nodes depth first, each next to the slot that first points to it.
        var top = Array(repeating: Double?.none, count: nodes.count)
        var cursor = Array(repeating: 8.0, count: columnCount)
        func place(_ position: Int, at minimum: Double) {
            guard top[position] == nil else { return }
            let column = depth[position]
            let y = max(minimum, cursor[column])
            top[position] = y
            cursor[column] = y + height(nodes[position]) + spacing
            let node = nodes[position]
            let firstRow = y + header + (node.note == nil ? 0 : noteLine)
            for (slotIndex, slot) in node.slots.enumerated() {
                place(index[slot.target]!, at: firstRow + Double(slotIndex) * row - 4)
            }
        }
        let targets = Set(nodes.flatMap { $0.slots.map(\.target) })
        for (position, node) in nodes.enumerated() where !targets.contains(node.id) { place(position, at: 8) }

        for (position, node) in nodes.enumerated() {
            let x = columnX[depth[position]], y = top[position]!, w = columnWidth[depth[position]]
            svg.rect(x: x, y: y, width: w, height: height(node), style: node.style ?? (node.isTable ? "table" : nil), rounded: !node.isTable)
            if node.isTable {
                svg.text(node.title, x: x + w / 2, y: y + 16, kind: "title", size: 12.5)
                if let note = node.note { svg.text(note, x: x + w / 2, y: y + header + 9, kind: "note", size: 11) }
                let firstRow = y + header + (node.note == nil ? 0 : noteLine)
                for (slotIndex, slot) in node.slots.enumerated() {
                    let rowY = firstRow + Double(slotIndex) * row
                    svg.line(x1: x, y1: rowY, x2: x + w, y2: rowY)
                    svg.text(slot.text, x: x + 8, y: rowY + 15, anchor: .start, kind: "mono", size: 11.5)
                    if let label = slot.label {
                        svg.text(label, x: x + w - 8, y: rowY + 15, anchor: .end, kind: "note", size: 11)
                    }
                }
            } else {
                let middle = y + (node.note == nil ? 22 : 16)
                svg.text(node.title, x: x + w / 2, y: middle)
                if let note = node.note { svg.text(note, x: x + w / 2, y: middle + noteLine, kind: "mono", size: 11) }
            }
        }
        for (position, node) in nodes.enumerated() {
            let x = columnX[depth[position]] + columnWidth[depth[position]]
            let firstRow = top[position]! + header + (node.note == nil ? 0 : noteLine)
            for (slotIndex, slot) in node.slots.enumerated() {
                let target = index[slot.target]!
                let targetY = top[target]! + (nodes[target].isTable ? 12 : height(nodes[target]) / 2)
                svg.path([(x, firstRow + Double(slotIndex) * row + row / 2), (columnX[depth[target]] - 2, targetY)], curved: true, arrow: true)
            }
        }
        svg.width = columnX[columnCount - 1] + columnWidth[columnCount - 1] + 8
        svg.height = (zip(nodes, top).map { $1! + height($0) }.max() ?? 0) + 8
    }
}

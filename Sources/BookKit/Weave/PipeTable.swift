/// A GitHub-flavoured pipe table, which plain CommonMark (libcmark) reads
/// as a paragraph.
struct PipeTable {
    enum Alignment { case none, left, center, right }

    var header: [String]
    var alignments: [Alignment]
    var rows: [[String]]

    init?(lines: [String]) {
        guard lines.count >= 2, lines[0].contains("|"),
              let alignments = Self.delimiter(lines[1]) else { return nil }
        header = Self.cells(lines[0])
        guard header.count == alignments.count else { return nil }
        self.alignments = alignments
        rows = lines.dropFirst(2).map { Self.cells($0) }
    }

    /// Splits a row at unescaped pipes, dropping the outer ones.
    static func cells(_ line: String) -> [String] {
        var text = line.trimmingWhitespace()
        if text.hasPrefix("|") { text.removeFirst() }
        if text.hasSuffix("|"), !text.hasSuffix("\\|") { text.removeLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; current.append(character); continue }
            if character == "|" { cells.append(current); current = ""; continue }
            current.append(character)
        }
        cells.append(current)
        return cells.map { $0.trimmingWhitespace().replacingOccurrences(of: "\\|", with: "|") }
    }

    /// The alignments of a delimiter row like `|---|:--:|--:|`.
    static func delimiter(_ line: String) -> [Alignment]? {
        guard line.contains("-") else { return nil }
        var result: [Alignment] = []
        for cell in cells(line) {
            guard !cell.isEmpty, cell.allSatisfy({ $0 == "-" || $0 == ":" }), cell.contains("-") else { return nil }
            switch (cell.hasPrefix(":"), cell.hasSuffix(":")) {
            case (true, true): result.append(.center)
            case (true, false): result.append(.left)
            case (false, true): result.append(.right)
            case (false, false): result.append(.none)
            }
        }
        return result
    }

    var html: String {
        func cell(_ tag: String, _ text: String, _ index: Int) -> String {
            let alignment = index < alignments.count ? alignments[index] : .none
            let style = switch alignment {
            case .none: ""
            case .left: " style=\"text-align:left\""
            case .center: " style=\"text-align:center\""
            case .right: " style=\"text-align:right\""
            }
            return "<\(tag)\(style)>\(Cmark.inlineHTML(text))</\(tag)>"
        }
        var html = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        html += header.enumerated().map { cell("th", $1, $0) }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            var padded = row
            while padded.count < header.count { padded.append("") }
            html += "<tr>" + padded.prefix(header.count).enumerated().map { cell("td", $1, $0) }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></div>"
    }
}

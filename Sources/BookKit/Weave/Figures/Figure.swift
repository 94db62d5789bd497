import Foundation

/// A figure block of a chapter, drawn as inline SVG by `book weave`.
///
/// ```` ```figure id=gdt-code kind=bits title="The 64-bit code descriptor" ````
/// starts one; its lines describe what to draw, one item a line, words
/// separated by spaces, `"quoted text"` for words with spaces, `//` starting
/// a comment line. Each kind reads its own items:
///
/// - `bits`: `HIGH..LOW NAME [=VALUE] [key|muted]`, `width N`, `group HIGH..LOW "label"`, `legend key|muted "text"`
/// - `bytes`: the same with byte offsets `FIRST..LAST`, 8 bytes a row
/// - `memory`: `column "title"`, `region START END "label" ["note"] [id=NAME] [key|muted]`, `arrow FROM TO ["label"]`
/// - `tree`: `table ID "title" ["note"]`, `page ID "title" ["note"] [key|muted]`, `ID[SLOT] -> ID ["label"]`
///
/// Figures use the page's colours (`currentColor` and the stylesheet's
/// variables), so they follow the light and dark themes and print in black.
struct Figure {
    var attributes: FigureAttributes
    /// "3.1": the chapter number and the figure's position in the chapter.
    var number: String
    var lines: [FigureLine]

    init(attributes: FigureAttributes, number: String, block: CodeBlock) {
        self.attributes = attributes
        self.number = number
        lines = FigureLine.parse(block)
    }

    var anchor: String { "fig-\(attributes.id)" }

    /// The complete `<figure>`, or the first problem with the description.
    func html() throws(FigureError) -> String {
        var svg = SVG(id: anchor)
        switch attributes.kind {
        case .bits, .bytes: try FieldFigure(lines: lines, unit: attributes.kind).draw(into: &svg)
        case .memory: try MemoryFigure(lines: lines).draw(into: &svg)
        case .tree: try TreeFigure(lines: lines).draw(into: &svg)
        }
        let label = "Figure \(number)"
        // The title is Markdown (emphasis, code spans) but never raw HTML.
        let caption = Cmark.inlineHTML(attributes.title.replacingOccurrences(of: "<", with: "&lt;"))
        return """
            <figure class="diagram" id="\(anchor)">
            <div class="diagram-scroll">\(svg.document(title: "\(label): \(HTML.plainText(caption))"))</div>
            <figcaption><a class="figure-number" href="#\(anchor)">\(label)</a> \(caption)</figcaption>
            </figure>

            """
    }
}

/// A problem in a figure's description, at the word that causes it.
struct FigureError: Error, Equatable {
    var message: String
    var location: SourceLocation?
}

/// One word of a figure line: `word`, `"quoted words"`, `key=value`.
struct FigureWord: Equatable {
    var text: String
    /// Set for `key=value` outside quotes; empty for `=value`.
    var key: String?
    var isQuoted: Bool
    var location: SourceLocation

    func error(_ message: String) -> FigureError { FigureError(message: message, location: location) }
}

/// One non-empty, non-comment line of a figure block.
struct FigureLine: Equatable {
    var words: [FigureWord]
    var location: SourceLocation

    var keyword: String { words.first?.text ?? "" }

    static func parse(_ block: CodeBlock) -> [FigureLine] {
        var result: [FigureLine] = []
        for (offset, text) in block.lines.enumerated() {
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            let line = block.firstLine + offset
            var words: [FigureWord] = []
            for token in ChunkAttributes.tokenize(text) {
                let location = SourceLocation(file: block.fenceLocation.file, line: line, column: block.baseColumn + token.column)
                guard let value = token.value?.text else {
                    words.append(FigureWord(text: String(text.dropFirst(token.column)), key: nil, isQuoted: false, location: location))
                    continue
                }
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    words.append(FigureWord(text: String(value.dropFirst().dropLast()), key: nil, isQuoted: true, location: location))
                } else if let equals = value.firstIndex(of: "=") {
                    var rest = String(value[value.index(after: equals)...])
                    if rest.hasPrefix("\""), rest.hasSuffix("\""), rest.count >= 2 { rest = String(rest.dropFirst().dropLast()) }
                    words.append(FigureWord(text: rest, key: String(value[..<equals]), isQuoted: false, location: location))
                } else {
                    words.append(FigureWord(text: value, key: nil, isQuoted: false, location: location))
                }
            }
            result.append(FigureLine(words: words, location: SourceLocation(file: block.fenceLocation.file, line: line, column: block.baseColumn)))
        }
        return result
    }

    func error(_ message: String) -> FigureError { FigureError(message: message, location: location) }

    /// The value of `key=...` on this line.
    func value(_ key: String) -> String? { words.first { $0.key == key }?.text }

    /// The style word (`key` or `muted`) on this line, if any.
    var style: String? {
        words.dropFirst().first { $0.key == nil && !$0.isQuoted && FigureStyle.names.contains($0.text) }?.text
    }

    /// The quoted words in order.
    var quoted: [String] { words.filter(\.isQuoted).map(\.text) }
}

/// The two emphases a box can have besides the plain one.
enum FigureStyle {
    /// `key`: what the figure is about (accent colour).
    /// `muted`: ignored, unused or padding (dashed, faint).
    static let names: Set<String> = ["key", "muted"]
}

/// Parses numbers and ranges as figures write them.
enum FigureNumber {
    /// `42`, `0x2A`, `0x0020_0000`.
    static func parse(_ text: String) -> UInt64? {
        let clean = text.replacingOccurrences(of: "_", with: "")
        if clean.lowercased().hasPrefix("0x") { return UInt64(clean.dropFirst(2), radix: 16) }
        return UInt64(clean)
    }

    /// `63..56` or `7` as (first, second) in the order written.
    static func range(_ word: FigureWord) throws(FigureError) -> (UInt64, UInt64) {
        let parts = word.text.components(separatedBy: "..")
        guard parts.count <= 2, let first = parse(parts[0]), let second = parts.count == 2 ? parse(parts[1]) : first else {
            throw word.error("expected a number or a range like 63..56, found '\(word.text)'")
        }
        return (first, second)
    }
}

/// Writes SVG elements with coordinates in pixels and text escaped.
struct SVG {
    /// The figure's anchor; ids inside the SVG (title, arrow marker) start with it.
    var id: String
    var width: Double = 0
    var height: Double = 0
    var elements: [String] = []
    var usesArrows = false

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, style: String? = nil, rounded: Bool = false) {
        let classes = ["box"] + (style.map { [$0] } ?? [])
        let corner = rounded ? " rx=\"4\"" : ""
        elements.append("<rect class=\"\(classes.joined(separator: " "))\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\"\(corner) fill=\"none\" stroke=\"currentColor\"/>")
    }

    enum Anchor: String { case start, middle, end }

    /// Text whose baseline sits at `y`. `kind` is a class: `label`, `mono`,
    /// `note`, `num`, `title`.
    mutating func text(_ text: String, x: Double, y: Double, anchor: Anchor = .middle, kind: String = "label", size: Double? = nil) {
        let anchorAttribute = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        let sizeAttribute = size.map { " font-size=\"\(Self.number($0))\"" } ?? ""
        elements.append("<text class=\"\(kind)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\"\(anchorAttribute)\(sizeAttribute)>\(HTML.escape(text))</text>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, kind: String = "rule") {
        elements.append("<line class=\"\(kind)\" x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"currentColor\"/>")
    }

    /// An open path; with `arrow`, an arrowhead at its end.
    mutating func path(_ points: [(Double, Double)], curved: Bool = false, arrow: Bool = false, kind: String = "edge") {
        guard let first = points.first else { return }
        var d = "M\(Self.number(first.0)),\(Self.number(first.1))"
        if curved, points.count == 2 {
            let (x1, y1) = first, (x2, y2) = points[1]
            let middle = (x1 + x2) / 2
            d += " C\(Self.number(middle)),\(Self.number(y1)) \(Self.number(middle)),\(Self.number(y2)) \(Self.number(x2)),\(Self.number(y2))"
        } else {
            for point in points.dropFirst() { d += " L\(Self.number(point.0)),\(Self.number(point.1))" }
        }
        let marker = arrow ? " marker-end=\"url(#\(id)-arrow)\"" : ""
        if arrow { usesArrows = true }
        elements.append("<path class=\"\(kind)\" d=\"\(d)\" fill=\"none\" stroke=\"currentColor\"\(marker)/>")
    }

    /// The `<svg>` element, sized to its content.
    func document(title: String) -> String {
        let w = Self.number(width), h = Self.number(height)
        var svg = "<svg class=\"figure-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
        svg += "role=\"img\" aria-labelledby=\"\(id)-title\" font-size=\"12\" fill=\"currentColor\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(title))</title>\n"
        if usesArrows {
            svg += "<defs><marker id=\"\(id)-arrow\" class=\"arrowhead\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n"
        }
        return svg + elements.joined(separator: "\n") + "\n</svg>"
    }

    /// A rough width of `text` in pixels: enough to size boxes around it.
    static func textWidth(_ text: String, size: Double = 12, mono: Bool = false) -> Double {
        Double(text.count) * size * (mono ? 0.62 : 0.58)
    }
}

/// The line a generated file carries before each piece it takes from a
/// chapter, so that compilers, debuggers and `book debug` attribute the
/// lines after it to the chapter line they came from. Each kind of file
/// has its own syntax (`CommentStyle.lineMarker`). The tangler writes
/// markers with `render`; `book sync`, the chapter diffs and the source
/// maps read them back with `parse`.
enum LineMarker: Sendable {
    /// Swift: `#sourceLocation(file: "chapters/03-long-mode.md", line: 120)`.
    case sourceLocation
    /// Assembly and C, which go through cpp: `#line 120 "chapters/03-long-mode.md"`.
    case lineDirective
    /// Linker scripts, CSS and JS have no such directive, so the marker is
    /// a comment for readers and `book debug`: `/* chapters/03-long-mode.md:120 */`.
    case comment

    /// The marker saying that the next line is `line` of chapter `file`.
    func render(file: String, line: Int) -> String {
        switch self {
        case .sourceLocation: "#sourceLocation(file: \"\(file)\", line: \(line))"
        case .lineDirective: "#line \(line) \"\(file)\""
        case .comment: "/* \(file):\(line) */"
        }
    }

    /// Whether the tangler indents the marker like the code after it.
    /// cpp directives are written at the start of the line.
    var isIndented: Bool { self != .lineDirective }

    /// What a marker line says.
    struct Parsed: Equatable {
        /// The chapter line of the line after the marker. Nil for Swift's
        /// `#sourceLocation()`, which gives the lines after it back to the
        /// generated file itself.
        var location: SourceLocation?
        /// The blanks before the marker: the indentation the tangler gave
        /// the code after it. Always 0 for `#line`, which is not indented.
        var indent: Int
    }

    /// The marker `line` holds, with any indentation; nil for any other
    /// line. A comment marker must name a chapter path without spaces,
    /// because a linker script or stylesheet can hold ordinary comments
    /// that look much the same.
    func parse(_ line: some StringProtocol) -> Parsed? {
        // Almost every line is code, and every marker starts with `#` or
        // `/` after its blanks: a look at that byte settles most lines.
        let first = line.withUTF8Bytes { $0.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } }
        guard first == (self == .comment ? UInt8(ascii: "/") : UInt8(ascii: "#")) else { return nil }
        let blanks = line.prefix { $0 == " " || $0 == "\t" }.count
        let text = line.dropFirst(blanks)
        let indent = isIndented ? blanks : 0
        func marker(_ file: some StringProtocol, _ number: Int) -> Parsed {
            Parsed(location: SourceLocation(file: String(file), line: number), indent: indent)
        }
        switch self {
        case .sourceLocation:
            if text == "#sourceLocation()" { return Parsed(location: nil, indent: indent) }
            guard text.hasPrefix(Self.sourceLocationStart), text.hasSuffix(")"),
                  let (rest, number) = Self.trailingNumber(text.dropFirst(Self.sourceLocationStart.count).dropLast()),
                  rest.hasSuffix(Self.sourceLocationLine)
            else { return nil }
            return marker(rest.dropLast(Self.sourceLocationLine.count), number)
        case .lineDirective:
            guard text.hasPrefix("#line ") else { return nil }
            let rest = text.dropFirst("#line ".count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            let quoted = rest.dropFirst(digits.count)
            guard let number = Int(digits), quoted.hasPrefix(" \""), quoted.count >= 3, quoted.hasSuffix("\"") else { return nil }
            return marker(quoted.dropFirst(2).dropLast(), number)
        case .comment:
            guard text.hasPrefix("/* "), text.hasSuffix(" */") else { return nil }
            let inside = text.dropFirst(3).dropLast(3)
            guard inside.hasPrefix("chapters/"), !inside.contains(" "),
                  let (rest, number) = Self.trailingNumber(inside), rest.hasSuffix(":")
            else { return nil }
            return marker(rest.dropLast(), number)
        }
    }

    func isMarker(_ line: some StringProtocol) -> Bool { parse(line) != nil }

    private static let sourceLocationStart = "#sourceLocation(file: \""
    private static let sourceLocationLine = "\", line: "

    /// `text` without the decimal number it ends with, and the number.
    private static func trailingNumber<Text: StringProtocol>(_ text: Text) -> (Text.SubSequence, Int)? {
        let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard let number = Int(text.suffix(digits)) else { return nil }
        return (text.dropLast(digits), number)
    }
}

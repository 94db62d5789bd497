/// How a generated file writes comments and source-location markers,
/// chosen by its extension.
public enum CommentStyle: Sendable {
    /// Swift: `//` comments, `#sourceLocation(file:line:)` markers.
    case swift
    /// Assembly and C run through cpp: `//` comments, `#line` markers.
    case cpp
    /// Linker scripts, CSS, JS: `/* */` comments; they have no line markers, so the
    /// marker is a comment naming the chapter line.
    case blockComment
    /// HTML: `<!-- -->` comments, no markers.
    case html
    /// Shell, GRUB's `grub.cfg` and similar: `#` comments, no markers.
    case hash

    public static let knownExtensions = ["swift", "S", "c", "h", "ld", "html", "css", "js", "sh", "txt", "cfg"]

    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...] {
        case "swift": self = .swift
        case "S", "c", "h": self = .cpp
        case "ld": self = .blockComment
        case "html": self = .html
        case "css", "js": self = .blockComment
        case "sh", "txt", "cfg": self = .hash
        default: return nil
        }
    }

    func comment(_ text: String) -> String {
        switch self {
        case .swift, .cpp: "// \(text)"
        case .blockComment: "/* \(text) */"
        case .html: "<!-- \(text) -->"
        case .hash: "# \(text)"
        }
    }

    /// The line that makes tools attribute the following lines to `line` of
    /// `file`, or nil when this kind of file has no such marker.
    func marker(file: String, line: Int) -> String? {
        switch self {
        case .swift: "#sourceLocation(file: \"\(file)\", line: \(line))"
        case .cpp: "#line \(line) \"\(file)\""
        case .blockComment: "/* \(file):\(line) */"
        case .html, .hash: nil
        }
    }

    /// Whether `line` is a marker this style writes (any file, any line),
    /// with any indentation.
    func isMarker(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " || $0 == "\t" }
        func digits(_ part: Substring) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        switch self {
        case .swift:
            guard text.hasPrefix("#sourceLocation(file: \""), text.hasSuffix(")"),
                  let comma = text.range(of: "\", line: ", options: .backwards) else { return false }
            return digits(text[comma.upperBound..<text.index(before: text.endIndex)])
        case .cpp:
            guard text.hasPrefix("#line ") else { return false }
            return digits(text.dropFirst(6).prefix { $0 != " " })
        case .blockComment:
            guard text.hasPrefix("/* "), text.hasSuffix(" */") else { return false }
            let inner = text.dropFirst(3).dropLast(3)
            guard let colon = inner.lastIndex(of: ":") else { return false }
            return digits(inner[inner.index(after: colon)...])
        case .html, .hash:
            return false
        }
    }
}

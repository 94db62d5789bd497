/// How a generated file writes comments and source-location markers,
/// chosen by its extension.
public enum CommentStyle: Sendable {
    /// Swift: `//` comments, `#sourceLocation(file:line:)` markers.
    case swift
    /// Assembly and C run through cpp: `//` comments, `#line` markers.
    case cpp
    /// Linker scripts, CSS, JS: `/* */` comments, which also serve as
    /// their markers.
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

    /// How this kind of file marks where its lines come from; nil for the
    /// kinds that carry no markers.
    var lineMarker: LineMarker? {
        switch self {
        case .swift: .sourceLocation
        case .cpp: .lineDirective
        case .blockComment: .comment
        case .html, .hash: nil
        }
    }

    /// Whether `line` is a line marker of this kind of file.
    func isLineMarker(_ line: some StringProtocol) -> Bool {
        lineMarker?.isMarker(line) ?? false
    }
}

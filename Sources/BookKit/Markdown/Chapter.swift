import Foundation

/// One chapter file, `chapters/NN-slug.md`, as read from disk.
public struct Chapter: Hashable, Sendable {
    /// The path as diagnostics and line markers print it, relative to the
    /// book's root: `chapters/03-long-mode.md`.
    public var path: String
    /// The `NN` of the file name; chapters are tangled in this order.
    public var number: Int
    /// The text with line endings normalised to `\n`.
    public var text: String
    /// The first line that ended in CRLF on disk (1-based), or nil: the
    /// chapter is read with `\n` endings, and `book sync` writes it back
    /// with the endings it had.
    public var firstCRLFLine: Int?

    public init(path: String, number: Int, text: String) {
        self.path = path
        self.number = number
        if text.containsByte(13), let first = text.range(of: "\r\n") {
            firstCRLFLine = text[..<first.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            self.text = text.replacingOccurrences(of: "\r\n", with: "\n")
        } else {
            self.text = text
        }
    }

    /// The chapter number encoded in a file name like `03-long-mode.md`,
    /// or nil when the name does not follow that pattern.
    public static func number(fromFileName name: String) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 2, name.dropFirst(digits.count).first == "-" else { return nil }
        return Int(digits)
    }
}

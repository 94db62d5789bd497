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

    public init(path: String, number: Int, text: String) {
        self.path = path
        self.number = number
        self.text = text.containsByte(13) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
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

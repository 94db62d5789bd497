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
    /// Where the first carriage return not followed by a line feed is, or
    /// nil. CommonMark ends a line there, so `book` reads it as a line feed
    /// too; otherwise its lines and libcmark's would differ.
    public var firstLoneCR: SourceLocation?

    public init(path: String, number: Int, text: String) {
        self.path = path
        self.number = number
        var text = text
        if text.containsByte(13), let first = text.range(of: "\r\n") {
            firstCRLFLine = text[..<first.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        if text.containsByte(13), let lone = text.firstIndex(of: "\r") {
            let before = text[..<lone]
            let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            firstLoneCR = SourceLocation(
                file: path, line: before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }, column: text[lineStart..<lone].count + 1)
            text = text.replacingOccurrences(of: "\r", with: "\n")
        }
        self.text = text
    }

    /// The chapter number encoded in a file name like `03-long-mode.md`,
    /// or nil when the name does not follow that pattern.
    public static func number(fromFileName name: String) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 2, name.dropFirst(digits.count).first == "-" else { return nil }
        return Int(digits)
    }

    /// The text of a chapter file's bytes (or an appendix's: `kind` names
    /// it in the message), or an error at the first byte that is not UTF-8
    /// (line and column as an editor counts them).
    public static func decode(_ data: Data, path: String, kind: String = "chapter") -> Result<String, Diagnostic> {
        if let text = String(validating: data, as: UTF8.self) { return .success(text) }
        let bytes = [UInt8](data)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var bad = UInt8(0)
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: break loop
            case .error(let length):
                bad = bytes[offset]
                _ = length
                break loop
            }
        }
        let lineStart = bytes[..<offset].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        let hex = String(bad, radix: 16, uppercase: true)
        return .failure(.error(
            "\(kind) is not valid UTF-8: byte 0x\(hex.count < 2 ? "0" + hex : hex) cannot start or continue a character here; save the file as UTF-8",
            at: SourceLocation(file: path, line: line, column: column)))
    }
}

/// A line that holds only `<<chunk name>>`, with any indentation: where the
/// chunk of that name is included.
struct Reference: Hashable, Sendable {
    var name: String
    var indent: String
    /// 0-based column of the `<<`.
    var column: Int
    /// The line's index in its code block (0 for a line read on its own).
    var index: Int

    /// Reads the line's UTF-8 bytes in place: blanks, `<<`, a name holding
    /// no `<<` or `>>`, `>>`, blanks. Every code line of the book passes
    /// through here once, and almost all of them fail at the first
    /// non-blank byte.
    init?(line: String, index: Int = 0) {
        var line = line
        guard let parts = line.withUTF8({ Self.parts(of: $0) }) else { return nil }
        let utf8 = line.utf8
        let nameStart = utf8.index(utf8.startIndex, offsetBy: parts.indent + 2)
        let nameEnd = utf8.index(nameStart, offsetBy: parts.nameLength)
        name = String(line[nameStart..<nameEnd])
        indent = String(line[..<utf8.index(utf8.startIndex, offsetBy: parts.indent)])
        column = parts.indent
        self.index = index
    }

    /// The references among a code block's lines, in order: the one
    /// reading of a block's lines that everything else uses.
    static func all(in lines: [String]) -> [Reference] {
        var references: [Reference] = []
        for (index, line) in lines.enumerated() {
            if let reference = Reference(line: line, index: index) { references.append(reference) }
        }
        return references
    }

    private static let blank = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let open = UInt8(ascii: "<"), close = UInt8(ascii: ">")

    /// The indentation's length and the name's length in bytes, or nil when
    /// the bytes are not a reference.
    private static func parts(of bytes: UnsafeBufferPointer<UInt8>) -> (indent: Int, nameLength: Int)? {
        var start = 0
        while start < bytes.count, bytes[start] == blank || bytes[start] == tab { start += 1 }
        guard start + 1 < bytes.count, bytes[start] == open, bytes[start + 1] == open else { return nil }
        var end = bytes.count
        while end > start, bytes[end - 1] == blank || bytes[end - 1] == tab { end -= 1 }
        // At least one byte of name between `<<` and `>>`.
        guard end - start > 4, bytes[end - 1] == close, bytes[end - 2] == close else { return nil }
        var index = start + 2
        while index < end - 3 {
            if (bytes[index] == open && bytes[index + 1] == open) || (bytes[index] == close && bytes[index + 1] == close) {
                return nil
            }
            index += 1
        }
        return (start, end - start - 4)
    }
}

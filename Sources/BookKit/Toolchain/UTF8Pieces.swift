import Foundation

/// Turns bytes that arrive in pieces (pipe reads) into text without
/// breaking a UTF-8 sequence that a piece cuts in two: an incomplete end
/// waits for the next piece, so "€" read as E2 | 82 AC is still "€".
struct UTF8Pieces {
    private var pending: [UInt8] = []

    /// The text of everything so far that ends on a character boundary.
    mutating func text(adding data: Data) -> String {
        pending += data
        let end = Self.completeLength(of: pending)
        let text = String(decoding: pending[..<end], as: UTF8.self)
        pending.removeFirst(end)
        return text
    }

    /// Reads `reader` until end of file and hands each piece of text to
    /// `take` as it arrives (never an empty one), the incomplete end of a
    /// read held back for the next.
    static func read(_ reader: FileHandle, _ take: (String) -> Void) {
        var pieces = UTF8Pieces()
        while true {
            let data = reader.availableData
            if data.isEmpty { break }
            let text = pieces.text(adding: data)
            if !text.isEmpty { take(text) }
        }
        let rest = pieces.rest()
        if !rest.isEmpty { take(rest) }
    }

    /// What is left at the end of the stream (an incomplete sequence there
    /// is invalid, and decodes as U+FFFD).
    mutating func rest() -> String {
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix of `bytes` that does not end inside
    /// a multi-byte sequence. Only the last three bytes can belong to an
    /// unfinished one.
    static func completeLength(of bytes: [UInt8]) -> Int {
        var index = bytes.count
        var continuations = 0
        while index > 0, continuations < 4 {
            let byte = bytes[index - 1]
            if byte & 0xC0 == 0x80 {  // 10xxxxxx: inside a sequence
                continuations += 1
                index -= 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return continuations + 1 >= length ? bytes.count : index - 1
        }
        return bytes.count
    }
}

/// Small helpers for writing HTML by hand: escaping and anchor slugs.
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        escape(text, into: &result)
        return result
    }

    /// Appends `text` escaped to `html`. Text with nothing to escape is
    /// copied whole, ASCII text is escaped byte by byte; other text goes
    /// Character by Character, as a `<` that is part of a larger
    /// Character (a combining mark after it) is not escaped.
    static func escape(_ text: some StringProtocol, into html: inout String) {
        let (special, ascii) = text.withUTF8Bytes { bytes in
            bytes.contains(where: isSpecial) ? (true, bytes.allSatisfy { $0 < 0x80 }) : (false, true)
        }
        if !special {
            html += text
        } else if ascii {
            escapeBytes(text, into: &html)
        } else {
            escapeCharacters(text, into: &html)
        }
    }

    @inline(__always) private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
    }

    private static func entity(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        default: nil
        }
    }

    /// ASCII text: every byte is a Character.
    private static func escapeBytes(_ text: some StringProtocol, into html: inout String) {
        let bytes = text.utf8
        var copied = bytes.startIndex
        var position = bytes.startIndex
        while position != bytes.endIndex {
            if let entity = entity(bytes[position]) {
                html += text[copied..<position]
                html += entity
                copied = bytes.index(after: position)
            }
            position = bytes.index(after: position)
        }
        html += text[copied...]
    }

    private static func escapeCharacters(_ text: some StringProtocol, into html: inout String) {
        for character in text {
            switch character {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            default: html.append(character)
            }
        }
    }

    /// A lower-case anchor made of letters, digits and dashes:
    /// "The 32-bit entry point" → "the-32-bit-entry-point".
    static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                if pendingDash, !result.isEmpty { result += "-" }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    /// Strips tags and decodes the few entities libcmark writes, for plain
    /// text (search index, titles).
    static func plainText(_ html: String) -> String {
        var result = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">", inTag { inTag = false; continue }
            if !inTag { result.append(character) }
        }
        return result
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Hands out anchors that are unique within one page.
struct AnchorSet {
    private var used: Set<String> = []

    mutating func unique(_ base: String) -> String {
        var candidate = base
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }

    mutating func reserve(_ anchor: String) { used.insert(anchor) }
}

extension String {
    /// The words of the text (split at white space) joined by single
    /// spaces. ASCII text goes byte by byte: its white space Characters are
    /// tab, line feed, vertical tab, form feed, carriage return (also
    /// "\r\n") and space.
    func collapsingWhitespace() -> String {
        guard isAllASCII else { return split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var pendingSpace = false
        withUTF8Bytes { text in
            for byte in text {
                if byte == 0x20 || (0x09...0x0d).contains(byte) {
                    pendingSpace = !bytes.isEmpty
                } else {
                    if pendingSpace { bytes.append(0x20) }
                    pendingSpace = false
                    bytes.append(byte)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// Calls `body` with the UTF-8 bytes, read in place when the text is
    /// contiguous in memory (native strings are).
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }

    /// Whether every byte is ASCII.
    var isAllASCII: Bool { withUTF8Bytes { $0.allSatisfy { $0 < 0x80 } } }
}

/// HTML put together as UTF-8 bytes, for the code views that append
/// thousands of small pieces: appending is a copy, without the
/// bookkeeping a String (or an Array) does for every append. A buffer is
/// filled by one thread and then read as a String.
final class HTMLBytes {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The HTML as a String.
    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// The bytes so far, valid within `body`.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Empties the buffer, keeping its memory.
    func removeAll() { count = 0 }

    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        if count + length > capacity { grow(to: count + length) }
        let destination = base + count
        if length <= 16 {
            for offset in 0..<length { destination[offset] = source[offset] }
        } else {
            destination.update(from: source, count: length)
        }
        count += length
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) func append(_ text: some StringProtocol) {
        text.withUTF8Bytes { append($0) }
    }

    func append(_ other: HTMLBytes) { append(UnsafeBufferPointer(start: other.base, count: other.count)) }

    /// Appends `text` escaped as `HTML.escape` escapes it.
    func appendEscaped(_ text: some StringProtocol) {
        text.withUTF8Bytes { source in
            guard source.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else {
                append(source)
                return
            }
            guard source.allSatisfy({ $0 < 0x80 }) else {
                // Character by Character (see `HTML.escape`).
                append(HTML.escape(text))
                return
            }
            appendEscapedASCII(source)
        }
    }

    /// Appends `text` as a JavaScript string literal, as `HTML.jsonString`
    /// writes it. Byte by byte: the scalars it escapes are single bytes,
    /// and U+2028 and U+2029, whose three bytes stand for nothing else.
    func appendJSONString(_ text: some StringProtocol) {
        append("\"")
        text.withUTF8Bytes { source in
            var copied = 0
            var position = 0
            func escape(_ escaped: StaticString, length: Int) {
                if copied < position { append(UnsafeBufferPointer(rebasing: source[copied..<position])) }
                append(escaped)
                position += length
                copied = position
            }
            while position < source.count {
                let byte = source[position]
                switch byte {
                case 0x22: escape("\\\"", length: 1)
                case 0x5C: escape("\\\\", length: 1)
                case 0x0A: escape("\\n", length: 1)
                case 0x0D: escape("\\r", length: 1)
                case 0x09: escape("\\t", length: 1)
                case 0x3C: escape("\\u003c", length: 1)
                case 0..<0x20:
                    if copied < position { append(UnsafeBufferPointer(rebasing: source[copied..<position])) }
                    let digits: StaticString = "0123456789abcdef"
                    var pair = (digits.utf8Start[Int(byte >> 4)], digits.utf8Start[Int(byte & 15)])
                    append("\\u00")
                    withUnsafeBytes(of: &pair) { append($0.bindMemory(to: UInt8.self)) }
                    position += 1
                    copied = position
                case 0xE2 where position + 2 < source.count && source[position + 1] == 0x80 && source[position + 2] == 0xA8:
                    escape("\\u2028", length: 3)
                case 0xE2 where position + 2 < source.count && source[position + 1] == 0x80 && source[position + 2] == 0xA9:
                    escape("\\u2029", length: 3)
                default:
                    position += 1
                }
            }
            if copied < source.count { append(UnsafeBufferPointer(rebasing: source[copied...])) }
        }
        append("\"")
    }

    /// Appends ASCII text escaped (every byte is a Character).
    func appendEscapedASCII(_ source: UnsafeBufferPointer<UInt8>) {
        var copied = 0
        for (position, byte) in source.enumerated() {
            let entity: StaticString
            switch byte {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22: entity = "&quot;"
            default: continue
            }
            if copied < position { append(UnsafeBufferPointer(rebasing: source[copied..<position])) }
            append(entity)
            copied = position + 1
        }
        if copied < source.count { append(UnsafeBufferPointer(rebasing: source[copied...])) }
    }
}

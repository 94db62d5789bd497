/// Small helpers for writing HTML by hand: escaping and anchor slugs.
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: some StringProtocol) -> String {
        guard text.withUTF8Bytes({ $0.contains { entity(for: $0) != nil } }) else { return String(text) }
        let html = HTMLBytes(capacity: text.utf8.count + 32)
        html.appendEscaped(text)
        return html.string
    }

    /// The entity that stands for `byte` when it is one of the characters
    /// HTML text must escape.
    @inline(__always) static func entity(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        default: nil
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

/// HTML escaping into a byte buffer: what `HTML.escape` does, without a
/// String per piece of text.
extension HTMLBytes {
    /// Appends `text` escaped. Text with nothing to escape is copied whole,
    /// ASCII text is escaped byte by byte; other text goes Character by
    /// Character, as a `<` that is part of a larger Character (a combining
    /// mark after it) is not escaped.
    func appendEscaped(_ text: some StringProtocol) {
        text.withUTF8Bytes { source in
            if !source.contains(where: { HTML.entity(for: $0) != nil }) {
                append(source)
            } else if source.allSatisfy({ $0 < 0x80 }) {
                appendEscapedASCII(source)
            } else {
                appendEscapedCharacters(text)
            }
        }
    }

    /// Appends ASCII text escaped (every byte is a Character).
    func appendEscapedASCII(_ source: UnsafeBufferPointer<UInt8>) {
        var copied = 0
        for (position, byte) in source.enumerated() {
            guard let entity = HTML.entity(for: byte) else { continue }
            if copied < position { append(UnsafeBufferPointer(rebasing: source[copied..<position])) }
            append(entity)
            copied = position + 1
        }
        if copied < source.count { append(UnsafeBufferPointer(rebasing: source[copied...])) }
    }

    private func appendEscapedCharacters(_ text: some StringProtocol) {
        for character in text {
            if character.utf8.count == 1, let entity = HTML.entity(for: character.utf8.first!) {
                append(entity)
            } else {
                append(String(character))
            }
        }
    }
}

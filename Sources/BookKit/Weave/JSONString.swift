extension HTMLBytes {
    /// Appends `text` as a JSON string that is also safe in JavaScript and
    /// inside a `<script>` (`<`, U+2028 and U+2029 escaped). Byte by byte:
    /// the scalars it escapes are single bytes, and U+2028 and U+2029,
    /// whose three bytes stand for nothing else.
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
}

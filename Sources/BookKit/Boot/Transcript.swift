/// What a chapter says its code prints when booted: a ```` ```console
/// transcript ```` block. Lines starting with `$ ` show the command and are
/// not compared; `…` stands for text that differs from run to run
/// (addresses, sizes) and matches any characters within its line.
public struct Transcript: Hashable, Sendable {
    public var lines: [String]
    public var location: SourceLocation
    /// For a `transcript=command` block: the arguments of the `book`
    /// command on its first line, whose output (for the chapter's code
    /// state) the rest of the block shows. Nil for a boot transcript.
    public var command: [String]?

    public static let wildcard: Character = "…"

    /// The transcripts of a chapter, in order.
    public static func all(in chapter: Chapter) -> [Transcript] {
        MarkdownParser.codeBlocks(in: chapter).compactMap { block in
            var log = DiagnosticLog()
            guard let attributes = ChunkAttributes.parse(block, log: &log), attributes.isTranscript else { return nil }
            var transcript = Transcript(lines: block.lines, location: block.fenceLocation)
            if attributes.isCommandTranscript, let first = block.lines.first {
                transcript.command = Array(shellWords(String(first.dropFirst(2))).dropFirst())
            }
            return transcript
        }
    }

    /// The lines the bootloader is expected to print.
    public var expectedOutput: [String] {
        lines.filter { !$0.hasPrefix("$ ") }
    }

    /// Nil when `output` matches; otherwise what differs, for a reader.
    public func mismatch(with output: String) -> String? {
        var actual = output.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        if actual.last == "" { actual.removeLast() }
        let expected = expectedOutput
        for index in 0..<max(expected.count, actual.count) {
            let want = index < expected.count ? expected[index] : nil
            let got = index < actual.count ? actual[index] : nil
            if let want, let got, Self.line(got, matches: want) { continue }
            return """
                \(location): the transcript differs from the output at line \(index + 1)
                  expected: \(want ?? "(end of output)")
                  got:      \(got ?? "(end of output)")
                """
        }
        return nil
    }

    /// Whether `line` equals `pattern`, where each `…` in the pattern
    /// matches any run of characters.
    static func line(_ line: String, matches pattern: String) -> Bool {
        let parts = pattern.split(separator: wildcard, omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return line == pattern }
        guard line.hasPrefix(parts[0]), line.hasSuffix(parts[parts.count - 1]),
              line.count >= parts[0].count + parts[parts.count - 1].count
        else { return false }
        var rest = Substring(line.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}

/// Splits a command line the way a shell does for simple cases: on spaces,
/// with '...' and "..." quoting.
public func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    for character in line {
        if let open = quote {
            if character == open { quote = nil } else { current.append(character) }
        } else if character == "'" || character == "\"" {
            quote = character
            inWord = true
        } else if character == " " || character == "\t" {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        } else {
            current.append(character)
            inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}

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

    public init(lines: [String], location: SourceLocation, command: [String]? = nil) {
        self.lines = lines
        self.location = location
        self.command = command
    }

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

    /// A line of only this stands for any number of output lines (a boot
    /// of Linux prints hundreds that differ from run to run).
    public static let skippedLines = "⋮"

    /// Nil when `output` matches; otherwise what differs, for a reader.
    public func mismatch(with output: String) -> String? {
        var actual = output.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        if actual.last == "" { actual.removeLast() }
        let expected = expectedOutput
        var next = 0  // the next output line to compare
        var index = 0
        while index < expected.count {
            let want = expected[index]
            if want == Self.skippedLines {
                index += 1
                guard index < expected.count else { return nil }  // the rest of the output is skipped
                let pattern = expected[index]
                guard let found = actual[next...].firstIndex(where: { Self.line($0, matches: pattern) }) else {
                    return """
                        \(location): the transcript's line after \(Self.skippedLines) never comes in the output after line \(next)
                          expected: \(pattern)
                        """
                }
                next = found + 1
                index += 1
                continue
            }
            if next < actual.count, Self.line(actual[next], matches: want) {
                next += 1
                index += 1
                continue
            }
            return difference(at: next, expected: want, got: next < actual.count ? actual[next] : nil)
        }
        return next < actual.count ? difference(at: next, expected: nil, got: actual[next]) : nil
    }

    private func difference(at index: Int, expected: String?, got: String?) -> String {
        """
        \(location): the transcript differs from the output at line \(index + 1)
          expected: \(expected ?? "(end of output)")
          got:      \(got ?? "(end of output)")
        """
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

import Foundation

/// Where the lines of a tangled file come from: built from the line
/// markers the tangler puts before every piece (`LineMarker`:
/// `#sourceLocation(file:line:)` in Swift, `#line N "file"` in assembly,
/// `/* file:N */` in linker scripts). Compilers follow the first two
/// themselves; this map is for everything that still names a generated
/// file: a linker error in a linker script, a diagnostic about a header
/// line, a tool without line markers.
public struct SourceMap: Sendable {
    /// The generated file's path, as tools print it (`asm/entry32.S`).
    public var path: String
    /// For every generated line (index 0 = line 1): the chapter line it
    /// came from and how much deeper the generated line is indented, or nil
    /// for marker lines, lines before the first marker and lines after a
    /// Swift `#sourceLocation()`.
    private var origins: [Origin?]
    /// Where header lines and marker lines point: the first marked line.
    private var first: Origin?

    struct Origin: Sendable {
        var file: String
        var line: Int
        /// Columns the tangler added in front of the chapter's text.
        var indent: Int
    }

    public init(path: String, text: String) {
        self.path = path
        let marker = CommentStyle(path: path)?.lineMarker
        var origins: [Origin?] = []
        var current: Origin?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let parsed = marker?.parse(raw) {
                current = parsed.location.map { Origin(file: $0.file, line: $0.line, indent: parsed.indent) }
                origins.append(nil)
                continue
            }
            origins.append(current)
            if current != nil { current!.line += 1 }
        }
        self.origins = origins
        self.first = origins.lazy.compactMap { $0 }.first
    }

    /// Reads a generated file below `tree`.
    public init?(path: String, in tree: URL) {
        guard let text = try? String(contentsOf: tree.appendingPathComponent(path), encoding: .utf8) else { return nil }
        self.init(path: path, text: text)
    }

    /// The chapter location of `line` (1-based) and `column` (1-based, or
    /// nil when the tool printed none) of the generated file. Header lines
    /// and marker lines map to the first line the file takes from a chapter.
    public func location(line: Int, column: Int? = nil) -> SourceLocation? {
        let index = line - 1
        let origin = (index >= 0 && index < origins.count ? origins[index] : nil) ?? first
        guard let origin else { return nil }
        let exact = index >= 0 && index < origins.count && origins[index] != nil
        let mappedColumn = exact ? max(1, (column ?? 1) - origin.indent) : 1
        return SourceLocation(file: origin.file, line: origin.line, column: mappedColumn)
    }
}

/// Rewrites tool output so that every `PATH:LINE[:COL]` naming a
/// generated file names the chapter line instead (the generated place
/// stays in parentheses after it, for whoever wants to look there).
public struct DiagnosticRemapper: Sendable {
    /// The folder the generated files are in (a code state's tree).
    public var tree: URL

    /// The chapters' texts by path (`chapters/03-long-mode.md`), for
    /// correcting assembler columns; empty to leave them alone.
    public var chapters: [String: String]

    public init(tree: URL, chapters: [String: String] = [:]) {
        self.tree = tree
        self.chapters = chapters
    }

    /// Both rewrites: generated paths to chapter lines, then assembler
    /// columns to chapter columns.
    public func remapAll(_ output: String) -> String {
        correctingColumns(remap(output))
    }

    /// Clang runs `.S` files through the C preprocessor, which squeezes
    /// every run of blanks into one space and drops comments; the
    /// assembler then counts columns in that text. For a diagnostic at
    /// `chapters/X.md:L:C` followed by the line as the assembler saw it,
    /// this moves C (and the caret line) to the same character of the
    /// chapter's own line.
    public func correctingColumns(_ output: String) -> String {
        guard !chapters.isEmpty else { return output }
        var lines = output.components(separatedBy: "\n")
        var index = 0
        while index + 1 < lines.count {
            defer { index += 1 }
            let header = lines[index]
            guard header.hasPrefix("chapters/") else { continue }
            let parts = header.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let line = Int(parts[1]), let column = Int(parts[2]), column >= 1,
                  let text = chapters[String(parts[0])]
            else { continue }
            let chapterLines = text.components(separatedBy: "\n")
            guard line >= 1, line <= chapterLines.count else { continue }
            let original = Array(chapterLines[line - 1])
            let seen = Array(lines[index + 1])
            func solid(_ characters: ArraySlice<Character>) -> [Character] { characters.filter { !$0.isWhitespace } }
            // The assembler's line must be the chapter's line, blanks
            // squeezed and a trailing comment dropped.
            let seenSolid = solid(seen[...]), originalSolid = solid(original[...])
            guard !seenSolid.isEmpty, originalSolid.starts(with: seenSolid), column - 1 <= seen.count else { continue }
            let before = solid(seen[..<(column - 1)]).count
            var count = 0
            var newColumn: Int?
            for (offset, character) in original.enumerated() where !character.isWhitespace {
                if count == before { newColumn = offset + 1; break }
                count += 1
            }
            guard let newColumn, newColumn != column else { continue }
            lines[index] = "\(parts[0]):\(line):\(newColumn):\(parts[3])"
            lines[index + 1] = String(original)
            // The caret line: "   ^~~~" under the old column.
            if index + 2 < lines.count, let caret = lines[index + 2].firstIndex(where: { $0 == "^" }),
               lines[index + 2][..<caret].allSatisfy({ $0 == " " }) {
                lines[index + 2] = String(repeating: " ", count: newColumn - 1) + lines[index + 2][caret...]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The generated files under `tree` this remapper knows about: code
    /// the tangler writes.
    static let generatedFolders = ["asm/", "Sources/"]
    static let generatedExtensions = [".S", ".swift", ".ld", ".c", ".h"]

    public func remap(_ output: String) -> String {
        var maps: [String: SourceMap] = [:]
        var unreadable: Set<String> = []
        let treePrefix = tree.standardizedFileURL.path + "/"
        var result = ""
        result.reserveCapacity(output.count)
        var rest = Substring(output)
        // Scan for "<path>:<digits>" where <path> ends in a generated
        // extension; everything else is copied unchanged.
        while let match = Self.nextReference(in: rest) {
            result += rest[..<match.range.lowerBound]
            var relative = match.path
            if relative.hasPrefix(treePrefix) { relative = String(relative.dropFirst(treePrefix.count)) }
            if relative.hasPrefix("./") { relative.removeFirst(2) }
            let isGenerated = Self.generatedFolders.contains { relative.hasPrefix($0) }
            if isGenerated, maps[relative] == nil, !unreadable.contains(relative) {
                if let loaded = SourceMap(path: relative, in: tree) { maps[relative] = loaded } else { unreadable.insert(relative) }
            }
            let map = isGenerated ? maps[relative] : nil
            if let map, let location = map.location(line: match.line, column: match.column) {
                let original = String(rest[match.range])
                result += match.column == nil ? "\(location.file):\(location.line)" : location.description
                result += " (\(original))"
            } else {
                result += rest[match.range]
            }
            rest = rest[match.range.upperBound...]
        }
        result += rest
        return result
    }

    struct Reference {
        var range: Range<Substring.Index>
        var path: String
        var line: Int
        var column: Int?
    }

    /// The next `PATH.EXT:LINE` or `PATH.EXT:LINE:COL` in `text`.
    static func nextReference(in text: Substring) -> Reference? {
        var searchStart = text.startIndex
        while let colon = text[searchStart...].firstIndex(of: ":") {
            defer { searchStart = text.index(after: colon) }
            // The path: back from the colon to whitespace, a quote or a bracket.
            var start = colon
            while start > text.startIndex {
                let previous = text.index(before: start)
                let character = text[previous]
                if character.isWhitespace || "\"'()<>[]`,".contains(character) { break }
                start = previous
            }
            let path = text[start..<colon]
            guard generatedExtensions.contains(where: { path.hasSuffix($0) }) else { continue }
            var index = text.index(after: colon)
            let lineDigits = text[index...].prefix { $0.isASCII && $0.isNumber }
            guard let line = Int(lineDigits) else { continue }
            index = text.index(index, offsetBy: lineDigits.count)
            var column: Int?
            if index < text.endIndex, text[index] == ":" {
                let columnDigits = text[text.index(after: index)...].prefix { $0.isASCII && $0.isNumber }
                if let value = Int(columnDigits) {
                    column = value
                    index = text.index(index, offsetBy: 1 + columnDigits.count)
                }
            }
            return Reference(range: start..<index, path: String(path), line: line, column: column)
        }
        return nil
    }
}

/// A code block split into highlighted runs of code and the `<<name>>`
/// lines between them.
struct HighlightedCode {
    enum Segment {
        /// Tokens of consecutive code lines, newline after the last one
        /// included when more lines follow.
        case code([Token])
        /// A `<<name>>` line; `newline` when more lines follow.
        case reference(indent: String, name: String, newline: Bool)
    }

    var language: CodeLanguage
    var segments: [Segment]

    /// `references` are the block's `<<references>>` (`Reference.all`);
    /// console output has none: its `<<` lines are what a program printed.
    init(lines: [String], references: [Reference], language: CodeLanguage) {
        self.language = language
        var segments: [Segment] = []
        func code(_ range: Range<Int>, more: Bool) {
            guard !range.isEmpty else { return }
            segments.append(.code(language.tokenize(lines[range].joined(separator: "\n") + (more ? "\n" : ""))))
        }
        var next = 0
        for reference in language == .console ? [] : references {
            code(next..<reference.index, more: true)
            next = reference.index + 1
            segments.append(.reference(indent: reference.indent, name: reference.name, newline: next < lines.count))
        }
        code(next..<lines.count, more: false)
        self.segments = segments
    }

    /// Where a token sits: segment and token index.
    struct Position: Hashable {
        var segment: Int
        var token: Int
    }

    /// The tokens that define names, with the names.
    var definitions: [(position: Position, name: String)] {
        var result: [(Position, String)] = []
        for (segmentIndex, segment) in segments.enumerated() {
            guard case .code(let tokens) = segment else { continue }
            for tokenIndex in language.definitions(in: tokens) {
                result.append((Position(segment: segmentIndex, token: tokenIndex), tokens[tokenIndex].text))
            }
        }
        return result
    }

    /// The code as plain text (for the search index).
    var text: String {
        segments.map { segment in
            switch segment {
            case .code(let tokens): tokens.map(\.text).joined()
            case .reference(let indent, let name, let newline): "\(indent)<<\(name)>>" + (newline ? "\n" : "")
            }
        }.joined()
    }
}

/// The names the book's code defines and where: the first definition of
/// each name wins.
struct SymbolIndex {
    struct Definition {
        var name: String
        var page: String
        var anchor: String
        var key: BlockKey
        var position: HighlightedCode.Position

        var href: String { "\(page)#\(anchor)" }
    }

    private(set) var definitions: [String: Definition] = [:]

    subscript(name: String) -> Definition? { definitions[name] }

    var isEmpty: Bool { definitions.isEmpty }

    mutating func collect(_ code: HighlightedCode, key: BlockKey, page: String) {
        for (position, name) in code.definitions where definitions[name] == nil {
            definitions[name] = Definition(name: name, page: page, anchor: Self.anchor(for: name), key: key, position: position)
        }
    }

    /// `sym-` and the name with anything but letters, digits, `_`, `-`
    /// and `.` replaced.
    static func anchor(for name: String) -> String {
        "sym-" + String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
    }

    /// The anchors the definitions take on `page`.
    func anchors(on page: String) -> [String] {
        definitions.values.filter { $0.page == page }.map(\.anchor)
    }
}

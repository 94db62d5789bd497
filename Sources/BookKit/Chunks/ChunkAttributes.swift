/// Where a code block's text goes: a whole file, or a named chunk that other
/// code includes with `<<name>>`.
public enum ChunkTarget: Hashable, Sendable, CustomStringConvertible {
    case file(String)
    case named(String)

    public var description: String {
        switch self {
        case .file(let path): "file \"\(path)\""
        case .named(let name): "chunk \"\(name)\""
        }
    }
}

/// How a block combines with earlier blocks of the same target.
public enum ChunkMode: String, Hashable, Sendable {
    /// The first definition; a second one is an error.
    case define
    /// Adds lines after what earlier blocks gave.
    case append
    /// Discards what earlier blocks gave (a later chapter changing code).
    case replace
}

/// The parsed info string of a fenced code block:
/// `asm file=asm/entry32.S append` or `swift chunk="print hex"`.
public struct ChunkAttributes: Hashable, Sendable {
    /// The info string of an exercise's checker block (`ExerciseCheck`).
    public static let exerciseLanguage = "exercise"

    public var language: String?
    public var target: ChunkTarget?
    public var mode: ChunkMode
    /// The block shows what the chapter's code state prints when booted;
    /// tests compare it with the real output.
    public var isTranscript = false
    /// `transcript=command`: the block shows what the `book` command on its
    /// first line (`$ book debug --batch ...`) prints for the chapter's code
    /// state, instead of the boot output.
    public var isCommandTranscript = false
    /// ```` ```exercise id=4.2 ````: the block is the checker of exercise
    /// 4.2 (see `ExerciseCheck`), not code.
    public var exerciseID: String?
    /// ```` ```console sample=book-where ````: output the prose shows that is
    /// not a transcript, compared with real output by a named test
    /// (`sampleMismatch(named:)` in the boot tests).
    public var sample: String?

    /// Set for a ```` ```figure id=... kind=... title="..." ```` block: a
    /// picture that `book weave` draws from the block's data; never tangled.
    public var figure: FigureAttributes?

    public static let knownAttributes = ["file", "chunk", "append", "replace", "transcript", "sample"]
    /// The attributes of a figure block.
    public static let figureAttributes = ["id", "kind", "title"]

    /// Parses `block.info`; problems are reported at their column.
    static func parse(_ block: CodeBlock, log: inout DiagnosticLog) -> ChunkAttributes? {
        var failed = false
        let attributes = read(block) { message, column in
            var location = block.infoLocation
            location.column += column
            log.report(.error(message, at: location))
            failed = true
        }
        return failed ? nil : attributes
    }

    /// The attributes `block.info` gives; `fail` hears of each problem,
    /// with its column (0-based) in the info string.
    private static func read(_ block: CodeBlock, fail: (String, Int) -> Void) -> ChunkAttributes {
        var attributes = ChunkAttributes(language: nil, target: nil, mode: .define)
        let tokens = tokenize(block.info)
        if let first = tokens.first?.value, first.keyValue == ("figure", nil) {
            attributes.figure = parseFigure(tokens.dropFirst(), fail: fail)
            attributes.language = "figure"
            return attributes
        }
        for (index, token) in tokens.enumerated() {
            guard let value = token.value else {
                fail("unterminated quote in code block attributes", token.column)
                continue
            }
            attributes.read(value, isFirst: index == 0, firstLine: block.lines.first ?? "") { fail($0, value.column) }
        }
        attributes.checkCombination { fail($0, 0) }
        return attributes
    }

    /// Takes in one `key` or `key=value` token; the first token without a
    /// value is the language.
    private mutating func read(_ token: Token, isFirst: Bool, firstLine: String, fail: (String) -> Void) {
        let (key, value) = token.keyValue
        switch (key, value) {
        case ("file", let path?):
            setTarget(.file(path), fail: fail)
        case ("chunk", let name?):
            setTarget(.named(name), fail: fail)
        case ("append", nil), ("replace", nil):
            if mode != .define { fail("a code block is either append or replace, not both") }
            mode = ChunkMode(rawValue: key)!
        case ("transcript", let kind):
            readTranscript(kind, firstLine: firstLine, fail: fail)
        case ("sample", let name?):
            if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) {
                fail("a sample name is made of letters, digits, dots and dashes: sample=book-where")
            }
            sample = name
        case ("id", let id?) where language == ChunkAttributes.exerciseLanguage:
            if id.isEmpty { fail("an exercise id cannot be empty") }
            exerciseID = id
        case ("file", nil), ("chunk", nil), ("sample", nil):
            fail("attribute '\(key)' needs a value: \(key)=...")
        case (_, nil) where isFirst:
            language = key
        default:
            fail("unknown attribute '\(key)' (known: \(Self.knownAttributes.joined(separator: ", ")))")
        }
    }

    private mutating func setTarget(_ newTarget: ChunkTarget, fail: (String) -> Void) {
        if target != nil { fail("a code block has either file= or chunk=, not both") }
        target = newTarget
    }

    /// `transcript` (the boot output) or `transcript=command` (what the
    /// `book` command on the block's first line prints).
    private mutating func readTranscript(_ kind: String?, firstLine: String, fail: (String) -> Void) {
        switch kind {
        case nil:
            isTranscript = true
        case "command"?:
            isTranscript = true
            isCommandTranscript = true
            if !firstLine.hasPrefix("$ book ") { fail("a transcript=command block starts with the command it shows: $ book ...") }
        case let other?:
            fail("unknown transcript kind '\(other)' (transcript shows the boot output, transcript=command a book command's)")
        }
    }

    /// The attributes that cannot go together, or that need another.
    private func checkCombination(fail: (String) -> Void) {
        if target == nil, mode != .define {
            fail("'\(mode.rawValue)' needs file= or chunk= to say what it changes")
        }
        if isTranscript, target != nil {
            fail("a transcript shows output; it cannot also be code (file= or chunk=)")
        }
        if language == ChunkAttributes.exerciseLanguage, exerciseID == nil {
            fail("an exercise block names its exercise: ```exercise id=N.M")
        }
        if exerciseID != nil, target != nil || isTranscript {
            fail("an exercise block is a checker; it cannot also be code or a transcript")
        }
        if sample != nil, target != nil || isTranscript || exerciseID != nil {
            fail("a sample is output the prose shows; it cannot also be code, a transcript or a checker")
        }
        if case .named(let name)? = target, name.isEmpty {
            fail("a chunk name cannot be empty")
        }
    }

    /// `id=NAME kind=KIND title="..."` after `figure`: all three are needed.
    static func parseFigure(
        _ tokens: ArraySlice<(value: Token?, column: Int)>, fail: (String, Int) -> Void
    ) -> FigureAttributes? {
        var id: String?, kind: FigureKind?, title: String?
        var given: Set<String> = []
        for token in tokens {
            guard let token = token.value else {
                fail("unterminated quote in code block attributes", token.column)
                continue
            }
            given.insert(token.keyValue.0)
            switch token.keyValue {
            case ("id", let value?):
                if value.isEmpty || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                    fail("a figure id is made of letters, digits and dashes: id=page-tables", token.column)
                }
                id = value
            case ("kind", let value?):
                kind = FigureKind(rawValue: value)
                if kind == nil {
                    let known = FigureKind.allCases.map(\.rawValue).joined(separator: ", ")
                    fail("unknown figure kind '\(value)' (known: \(known))", token.column)
                }
            case ("title", let value?):
                title = value
            case ("file", _), ("chunk", _), ("append", _), ("replace", _), ("transcript", _):
                fail("a figure is drawn, not tangled: '\(token.keyValue.0)' has no meaning here", token.column)
            case (let key, nil) where figureAttributes.contains(key):
                fail("attribute '\(key)' needs a value: \(key)=...", token.column)
            case (let key, _):
                let known = figureAttributes.joined(separator: ", ")
                fail("unknown figure attribute '\(key)' (known: \(known))", token.column)
            }
        }
        guard let id, let kind, let title else {
            if !given.isSuperset(of: figureAttributes) {
                fail("a figure needs id=, kind= and title=: ```figure id=page-tables kind=tree title=\"...\"", 0)
            }
            return nil
        }
        return FigureAttributes(id: id, kind: kind, title: title)
    }

    struct Token {
        var text: String
        var column: Int  // 0-based offset in the info string

        var keyValue: (String, String?) {
            guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
            var value = String(text[text.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return (String(text[..<equals]), value)
        }
    }

    /// Splits on whitespace outside double quotes; a token whose quote never
    /// closes comes back as `(nil, column)`.
    static func tokenize(_ info: String) -> [(value: Token?, column: Int)] {
        info.utf8.allSatisfy({ $0 < 0x80 }) ? tokenizeASCII(info) : tokenizeCharacters(info)
    }

    /// `tokenize` on Characters, for info strings with non-ASCII text.
    static func tokenizeCharacters(_ info: String) -> [(value: Token?, column: Int)] {
        var tokens: [(value: Token?, column: Int)] = []
        let characters = Array(info)
        var index = 0
        while index < characters.count {
            if characters[index].isWhitespace { index += 1; continue }
            let start = index
            var inQuotes = false
            while index < characters.count, inQuotes || !characters[index].isWhitespace {
                if characters[index] == "\"" { inQuotes.toggle() }
                index += 1
            }
            let token = inQuotes ? nil : Token(text: String(characters[start..<index]), column: start)
            tokens.append((token, start))
        }
        return tokens
    }

    /// `tokenize` for the usual info string, all ASCII: on the bytes, where
    /// a byte is a Character and a column.
    static func tokenizeASCII(_ info: String) -> [(value: Token?, column: Int)] {
        var tokens: [(value: Token?, column: Int)] = []
        let bytes = Array(info.utf8)
        // The ASCII characters `Character.isWhitespace` accepts.
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
        var index = 0
        while index < bytes.count {
            if isBlank(bytes[index]) { index += 1; continue }
            let start = index
            var inQuotes = false
            while index < bytes.count, inQuotes || !isBlank(bytes[index]) {
                if bytes[index] == UInt8(ascii: "\"") { inQuotes.toggle() }
                index += 1
            }
            let token = inQuotes ? nil : Token(text: String(decoding: bytes[start..<index], as: UTF8.self), column: start)
            tokens.append((token, start))
        }
        return tokens
    }
}

/// What a figure block draws, chosen with `kind=`.
public enum FigureKind: String, CaseIterable, Hashable, Sendable {
    /// Fields of a register or descriptor, by bit number (highest left).
    case bits
    /// Fields of a structure in memory, by byte offset, 8 bytes a row.
    case bytes
    /// Address ranges stacked as boxes in columns, with arrows between them.
    case memory
    /// Tables with numbered slots pointing to further tables or pages.
    case tree
}

/// The attributes of a figure block.
public struct FigureAttributes: Hashable, Sendable {
    /// The anchor is `fig-` + id; unique within its page.
    public var id: String
    public var kind: FigureKind
    public var title: String
}

/// The kinds of token the highlighters tell apart; each is one CSS class.
enum TokenKind: String, Sendable {
    case plain = ""
    case identifier = "id"
    case keyword = "k"
    case instruction = "i"
    case type = "t"
    case string = "s"
    case number = "n"
    case comment = "c"
    case directive = "d"
    case preprocessor = "pp"
    case register = "r"
    case label = "l"
    case localLabel = "ll"
    case attribute = "a"
    case variable = "v"
    case section = "sec"
    case option = "o"
    case command = "cmd"
    case prompt = "pr"
    case output = "out"
    case error = "err"
    case punctuation = "p"
}

struct Token: Sendable, Equatable {
    var kind: TokenKind
    var text: String

    init(_ kind: TokenKind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// The languages the site highlights, chosen by a code block's first word.
enum CodeLanguage: String, Sendable {
    case swift, asm, ld, shell, console, plain

    init(info language: String?) {
        switch language?.lowercased() {
        case "swift": self = .swift
        case "asm", "s", "gas", "x86asm", "assembly": self = .asm
        case "ld", "lds", "linker", "linker-script": self = .ld
        case "sh", "bash", "shell", "zsh": self = .shell
        case "console", "terminal", "shell-session", "text-console": self = .console
        default: self = .plain
        }
    }

    /// The name shown in a code block's header.
    var displayName: String? {
        switch self {
        case .swift: "Swift"
        case .asm: "GNU assembly"
        case .ld: "linker script"
        case .shell: "shell"
        case .console: "console"
        case .plain: nil
        }
    }

    /// Splits `text` into tokens whose texts concatenate to `text`.
    func tokenize(_ text: String) -> [Token] {
        switch self {
        case .swift: SwiftHighlighter.tokenize(text)
        case .asm: AsmHighlighter.tokenize(text)
        case .ld: LinkerScriptHighlighter.tokenize(text)
        case .shell: ShellHighlighter.tokenize(text)
        case .console: ShellHighlighter.tokenizeConsole(text)
        case .plain: [Token(.plain, text)]
        }
    }

    /// The indices of tokens that define a name other code can refer to:
    /// Swift types and functions, assembly labels, macros and `#define`s,
    /// linker-script symbols.
    func definitions(in tokens: [Token]) -> [Int] {
        switch self {
        case .swift: SwiftHighlighter.definitions(in: tokens)
        case .asm: AsmHighlighter.definitions(in: tokens)
        case .ld: LinkerScriptHighlighter.definitions(in: tokens)
        default: []
        }
    }

    /// Whether identifiers in this language may link to the book's symbols.
    var linksSymbols: Bool {
        switch self {
        case .swift, .asm, .ld: true
        default: false
        }
    }
}

/// A cursor over the Unicode scalars of a code block, shared by the
/// tokenizers.
struct Scanner {
    let scalars: [Unicode.Scalar]
    /// The UTF-8 bytes when the text is all ASCII: byte `i` is scalar `i`,
    /// so token texts are copied bytes, not scalars appended one by one.
    private let ascii: [UInt8]?
    var index = 0
    var tokens: [Token] = []

    init(_ text: String) {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            ascii = bytes
            scalars = bytes.map { Unicode.Scalar($0) }
        } else {
            ascii = nil
            scalars = Array(text.unicodeScalars)
        }
    }

    /// The text of the scalars `start..<end`.
    func text(from start: Int, to end: Int) -> String {
        if let ascii { return String(decoding: ascii[start..<end], as: UTF8.self) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    var atEnd: Bool { index >= scalars.count }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = index + offset
        return position < scalars.count && position >= 0 ? scalars[position] : nil
    }

    func looksAt(_ text: String) -> Bool {
        var position = index
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    mutating func advance(while condition: (Unicode.Scalar) -> Bool) {
        while index < scalars.count, condition(scalars[index]) { index += 1 }
    }

    /// Emits the scalars from `start` to the cursor as one token, merging
    /// neighbouring tokens of the same kind.
    mutating func emit(_ kind: TokenKind, from start: Int) {
        guard start < index else { return }
        let text = text(from: start, to: index)
        if let last = tokens.last, last.kind == kind, kind == .plain || kind == .comment || kind == .output || kind == .punctuation {
            tokens[tokens.count - 1].text += text
        } else {
            tokens.append(Token(kind, text))
        }
    }

    /// Consumes up to the end of the line (not the newline) as `kind`.
    mutating func restOfLine(as kind: TokenKind) {
        let start = index
        advance { $0 != "\n" }
        emit(kind, from: start)
    }

    /// Consumes a block comment `/* ... */` (unterminated: to the end).
    mutating func blockComment(nested: Bool = false) {
        let start = index
        index += 2
        var depth = 1
        while !atEnd, depth > 0 {
            if looksAt("*/") { depth -= 1; index += 2 }
            else if nested, looksAt("/*") { depth += 1; index += 2 }
            else { index += 1 }
        }
        emit(.comment, from: start)
    }

    /// Consumes a quoted string with backslash escapes, ending at the
    /// closing quote or the end of the line.
    mutating func quoted(_ quote: Unicode.Scalar, as kind: TokenKind = .string) {
        let start = index
        index += 1
        while let scalar = peek(), scalar != "\n" {
            index += 1
            if scalar == "\\" { if peek() != nil, peek() != "\n" { index += 1 } }
            else if scalar == quote { break }
        }
        emit(kind, from: start)
    }

    /// Consumes a number: decimal, 0x, 0b, 0o, with `_` separators, a
    /// fraction and exponent, and trailing letters (suffixes such as `2M`).
    mutating func number() {
        let start = index
        while let scalar = peek() {
            if Scanner.isIdentifierPart(scalar) { index += 1 }
            else if scalar == ".", Scanner.isDigit(peek(1)) { index += 1 }
            else { break }
        }
        emit(.number, from: start)
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {  // the same answer as the property, without the table lookup
            return scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        return scalar.properties.isAlphabetic
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }

    static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }
}

extension [Token] {
    /// The index of the next token after `index` that is not white space.
    func nextSignificant(after index: Int) -> Int? {
        var position = index + 1
        while position < count {
            if !self[position].text.allSatisfy({ $0 == " " || $0 == "\t" }) || self[position].kind != .plain {
                return position
            }
            position += 1
        }
        return nil
    }
}

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

extension TokenKind {
    /// `<span class="k">` for a kind shown in its class; nil for plain
    /// text and identifiers.
    var openingTag: StaticString? {
        switch self {
        case .plain, .identifier: nil
        case .keyword: "<span class=\"k\">"
        case .instruction: "<span class=\"i\">"
        case .type: "<span class=\"t\">"
        case .string: "<span class=\"s\">"
        case .number: "<span class=\"n\">"
        case .comment: "<span class=\"c\">"
        case .directive: "<span class=\"d\">"
        case .preprocessor: "<span class=\"pp\">"
        case .register: "<span class=\"r\">"
        case .label: "<span class=\"l\">"
        case .localLabel: "<span class=\"ll\">"
        case .attribute: "<span class=\"a\">"
        case .variable: "<span class=\"v\">"
        case .section: "<span class=\"sec\">"
        case .option: "<span class=\"o\">"
        case .command: "<span class=\"cmd\">"
        case .prompt: "<span class=\"pr\">"
        case .output: "<span class=\"out\">"
        case .error: "<span class=\"err\">"
        case .punctuation: "<span class=\"p\">"
        }
    }
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
        if self == .plain { return [Token(.plain, text)] }
        return scan(text) { $0.tokens }
    }

    /// Calls `body` with the tokens of `text` as spans over its scalars
    /// (the scanner reads the text in place; it is valid within `body`).
    func scan<Result>(_ text: String, _ body: (Scanner) -> Result) -> Result {
        var text = text
        return text.withUTF8 { scan(bytes: $0, body) }
    }

    /// The same for text given as its UTF-8 bytes.
    func scan<Result>(bytes: UnsafeBufferPointer<UInt8>, _ body: (Scanner) -> Result) -> Result {
        var scanner = Scanner(bytes: bytes)
        switch self {
        case .swift: SwiftHighlighter.scan(&scanner)
        case .asm: AsmHighlighter.scan(&scanner)
        case .ld: LinkerScriptHighlighter.scan(&scanner)
        case .shell: ShellHighlighter.scan(&scanner)
        case .console: ShellHighlighter.scanConsole(&scanner)
        case .plain:
            scanner.index = scanner.count
            scanner.emit(.plain, from: 0)
        }
        return body(scanner)
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
/// tokenizers. The tokens are kept as kinds and the scalars they span (they
/// tile the text); `tokens` gives them with their texts.
struct Scanner {
    /// A token as the scalars `start..<end` of the text.
    struct Span {
        var kind: TokenKind
        var start: Int
        var end: Int
    }

    /// The UTF-8 bytes of the text when it is all ASCII (byte `i` is
    /// scalar `i`, so the scalars are the bytes and token texts are copied
    /// bytes), else empty. Read in place: valid while the text is.
    let ascii: UnsafeBufferPointer<UInt8>
    /// The scalars of any other text.
    private let unicode: [Unicode.Scalar]
    let isASCII: Bool
    /// The number of scalars.
    let count: Int
    var index = 0
    private(set) var spans: [Span] = []

    /// A scanner over the UTF-8 text `bytes`, valid while they are.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        spans.reserveCapacity(bytes.count / 3 + 1)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            ascii = bytes
            unicode = []
            isASCII = true
            count = bytes.count
        } else {
            ascii = UnsafeBufferPointer(start: nil, count: 0)
            unicode = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
            isASCII = false
            count = unicode.count
        }
    }

    /// The tokens with their texts.
    var tokens: [Token] { spans.map { Token($0.kind, text(from: $0.start, to: $0.end)) } }

    /// The scalar at `position` (in `0..<count`).
    @inline(__always) func scalar(at position: Int) -> Unicode.Scalar {
        isASCII ? Unicode.Scalar(ascii[position]) : unicode[position]
    }

    /// The text of the scalars `start..<end`.
    func text(from start: Int, to end: Int) -> String {
        if isASCII { return String(decoding: UnsafeBufferPointer(rebasing: ascii[start..<end]), as: UTF8.self) }
        return String(String.UnicodeScalarView(unicode[start..<end]))
    }

    /// Whether the text from `start` to `end` is ASCII digits only.
    func isDigits(from start: Int, to end: Int) -> Bool {
        guard isASCII else { return text(from: start, to: end).allSatisfy(\.isNumber) }
        return ascii[start..<end].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    var atEnd: Bool { index >= count }

    @inline(__always) func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = index + offset
        return position < count && position >= 0 ? scalar(at: position) : nil
    }

    /// Whether the text at the cursor starts with `text` (ASCII).
    func looksAt(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { bytes in
            guard index + bytes.count <= count else { return false }
            for (offset, byte) in bytes.enumerated() where scalar(at: index + offset).value != UInt32(byte) { return false }
            return true
        }
    }

    @inline(__always) mutating func advance(while condition: (Unicode.Scalar) -> Bool) {
        while index < count, condition(scalar(at: index)) { index += 1 }
    }

    /// Emits the scalars from `start` to the cursor as one token, merging
    /// neighbouring tokens of the same kind (plain text, comments, output,
    /// punctuation).
    mutating func emit(_ kind: TokenKind, from start: Int) {
        guard start < index else { return }
        if let last = spans.last, last.kind == kind, kind == .plain || kind == .comment || kind == .output || kind == .punctuation {
            spans[spans.count - 1].end = index
        } else {
            spans.append(Span(kind: kind, start: start, end: index))
        }
    }

    /// Changes the kind of the last token.
    mutating func relabelLast(_ kind: TokenKind) {
        spans[spans.count - 1].kind = kind
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

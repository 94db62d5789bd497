/// Tokenizes Swift: keywords, types, attributes, strings (with multi-line
/// literals), numbers, comments and compiler directives.
enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "actor", "any", "as", "associatedtype", "async", "await", "break", "case", "catch", "class",
        "continue", "convenience", "default", "defer", "deinit", "do", "dynamic", "else", "enum",
        "extension", "fallthrough", "false", "fileprivate", "final", "for", "func", "get", "guard",
        "if", "import", "in", "indirect", "infix", "init", "inout", "internal", "is", "lazy", "let",
        "mutating", "nil", "nonisolated", "nonmutating", "open", "operator", "optional", "override",
        "postfix", "precedencegroup", "prefix", "private", "protocol", "public", "repeat", "required",
        "rethrows", "return", "self", "Self", "set", "some", "static", "struct", "subscript", "super",
        "switch", "throw", "throws", "true", "try", "typealias", "unowned", "var", "weak", "where",
        "while", "willSet", "didSet", "borrowing", "consuming", "sending",
    ]

    /// Keywords after which the next identifier is a definition.
    static let declarators: Set<String> = ["func", "struct", "enum", "class", "protocol", "typealias", "actor"]

    static func scan(_ scanner: inout Scanner) {
        while let scalar = scanner.peek() {
            let start = scanner.index
            if scanner.looksAt("//") {
                scanner.restOfLine(as: .comment)
            } else if scanner.looksAt("/*") {
                scanner.blockComment(nested: true)
            } else if scanner.looksAt("\"\"\"") {
                scanner.index += 3
                while !scanner.atEnd, !scanner.looksAt("\"\"\"") {
                    if scanner.peek() == "\\" { scanner.index += 1 }
                    scanner.index += 1
                }
                scanner.index = min(scanner.index + 3, scanner.count)
                scanner.emit(.string, from: start)
            } else if scalar == "\"" {
                scanner.quoted("\"")
            } else if Scanner.isDigit(scalar) {
                scanner.number()
            } else if scalar == "#" || scalar == "@", let next = scanner.peek(1), Scanner.isIdentifierStart(next) {
                scanner.index += 1
                scanner.advance(while: Scanner.isIdentifierPart)
                scanner.emit(scalar == "#" ? .preprocessor : .attribute, from: start)
            } else if scalar == "`" {
                scanner.index += 1
                scanner.advance { $0 != "`" && $0 != "\n" }
                if scanner.peek() == "`" { scanner.index += 1 }
                scanner.emit(.identifier, from: start)
            } else if Scanner.isIdentifierStart(scalar) || scalar == "$" {
                scanner.index += 1
                scanner.advance(while: Scanner.isIdentifierPart)
                let word = scanner.text(from: start, to: scanner.index)
                let kind: TokenKind =
                    keywords.contains(word) ? .keyword
                    : scalar.properties.isUppercase ? .type
                    : .identifier
                scanner.emit(kind, from: start)
            } else if Scanner.isSpace(scalar) || scalar == "\n" {
                scanner.advance { Scanner.isSpace($0) || $0 == "\n" }
                scanner.emit(.plain, from: start)
            } else {
                scanner.index += 1
                scanner.emit(.punctuation, from: start)
            }
        }
    }

    static func definitions(in tokens: [Token]) -> [Int] {
        var result: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .keyword && declarators.contains(token.text) {
            if let next = tokens.nextSignificant(after: index), [.identifier, .type].contains(tokens[next].kind) {
                result.append(next)
            }
        }
        return result
    }
}

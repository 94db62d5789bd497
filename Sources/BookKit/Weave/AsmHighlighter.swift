/// Tokenizes GNU assembly in AT&T syntax as the book writes it: run
/// through the C preprocessor, so `//` and `/* */` comments and `#define`.
enum AsmHighlighter {
    static let preprocessorWords: Set<String> = [
        "define", "undef", "include", "if", "ifdef", "ifndef", "elif", "else", "endif", "line", "error", "pragma",
    ]

    static func isSymbolStart(_ scalar: Unicode.Scalar) -> Bool {
        Scanner.isIdentifierStart(scalar) || scalar == "."
    }

    static func isSymbolPart(_ scalar: Unicode.Scalar) -> Bool {
        Scanner.isIdentifierPart(scalar) || scalar == "." || scalar == "$"
    }

    static func scan(_ scanner: inout Scanner) {
        var statementStart = true  // the next word is a label, directive or mnemonic
        var lineStart = true  // only white space so far on this line
        while let scalar = scanner.peek() {
            let start = scanner.index
            if scalar == "\n" {
                scanner.index += 1
                scanner.emit(.plain, from: start)
                statementStart = true
                lineStart = true
                continue
            }
            if Scanner.isSpace(scalar) {
                scanner.advance(while: Scanner.isSpace)
                scanner.emit(.plain, from: start)
                continue
            }
            defer { lineStart = false }
            if scanner.looksAt("//") {
                scanner.restOfLine(as: .comment)
            } else if scanner.looksAt("/*") {
                scanner.blockComment()
            } else if scalar == "#" {
                if lineStart, let word = word(after: scanner.index + 1, in: scanner), preprocessorWords.contains(word) {
                    scanner.index += 1
                    scanner.advance(while: Scanner.isSpace)
                    scanner.advance(while: Scanner.isIdentifierPart)
                    scanner.emit(.preprocessor, from: start)
                    statementStart = false
                } else {
                    scanner.restOfLine(as: .comment)  // the assembler's own comment character
                }
            } else if scalar == "\"" {
                scanner.quoted("\"")
            } else if scalar == "'" {
                scanner.index += 1
                if scanner.peek() == "\\" { scanner.index += 1 }
                if scanner.peek() != nil, scanner.peek() != "\n" { scanner.index += 1 }
                if scanner.peek() == "'" { scanner.index += 1 }
                scanner.emit(.string, from: start)
            } else if scalar == "%", let next = scanner.peek(1), Scanner.isIdentifierStart(next) {
                scanner.index += 1
                scanner.advance(while: Scanner.isIdentifierPart)
                scanner.emit(.register, from: start)
            } else if scalar == "\\", let next = scanner.peek(1), Scanner.isIdentifierStart(next) {
                scanner.index += 1
                scanner.advance(while: Scanner.isIdentifierPart)
                scanner.emit(.variable, from: start)  // a macro parameter
            } else if Scanner.isDigit(scalar) {
                scanner.number()
                // The number's scalars (a number never merges with the token before).
                let end = scanner.index
                let last = scanner.scalar(at: end - 1)
                if statementStart, scanner.peek() == ":", scanner.isDigits(from: start, to: end) {
                    scanner.relabelLast(.localLabel)
                } else if last == "b" || last == "f", end - start > 1, scanner.isDigits(from: start, to: end - 1) {
                    scanner.relabelLast(.localLabel)
                }
            } else if isSymbolStart(scalar) {
                scanner.index += 1
                scanner.advance(while: isSymbolPart)
                var kind: TokenKind = .identifier
                if statementStart {
                    // A "." followed by a combining mark is not a "." Character.
                    let dot = scalar == "." && (scanner.isASCII || scanner.text(from: start, to: scanner.index).hasPrefix("."))
                    if scanner.peek() == ":" { kind = .label }
                    else if dot { kind = .directive; statementStart = false }
                    else { kind = .instruction; statementStart = false }
                }
                scanner.emit(kind, from: start)
            } else {
                scanner.index += 1
                scanner.emit(.punctuation, from: start)
                if scalar == ";" { statementStart = true }
                // A label's colon leaves the statement start in place.
            }
        }
    }

    /// The identifier that starts at `position` after optional blanks.
    private static func word(after position: Int, in scanner: Scanner) -> String? {
        var position = position
        while position < scanner.count, Scanner.isSpace(scanner.scalar(at: position)) { position += 1 }
        let start = position
        while position < scanner.count, Scanner.isIdentifierPart(scanner.scalar(at: position)) { position += 1 }
        guard position > start else { return nil }
        return scanner.text(from: start, to: position)
    }

    static func definitions(in tokens: [Token]) -> [Int] {
        var result: [Int] = []
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .label:
                result.append(index)
            case .preprocessor where token.text.hasSuffix("define"):
                if let next = tokens.nextSignificant(after: index), tokens[next].kind == .identifier || tokens[next].kind == .instruction {
                    result.append(next)
                }
            case .directive where [".macro", ".set", ".equ", ".equiv"].contains(token.text):
                if let next = tokens.nextSignificant(after: index), tokens[next].kind == .identifier {
                    result.append(next)
                }
            default:
                break
            }
        }
        return result
    }
}

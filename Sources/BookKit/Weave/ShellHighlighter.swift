/// Tokenizes shell commands (`sh`) and console transcripts (`console`),
/// where lines starting with `$ ` are commands and the rest is output.
enum ShellHighlighter {
    static let keywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in",
        "function", "export", "local", "return", "exit",
    ]

    static func scan(_ scanner: inout Scanner) {
        tokenizeCommands(&scanner, until: scanner.count)
    }

    static func scanConsole(_ scanner: inout Scanner) {
        while !scanner.atEnd {
            var end = scanner.index
            while end < scanner.count, scanner.scalar(at: end) != "\n" { end += 1 }
            if end < scanner.count { end += 1 }
            let start = scanner.index
            if scanner.looksAt("$ ") || scanner.looksAt("# ") {
                scanner.index += 2
                scanner.emit(.prompt, from: start)
                tokenizeCommands(&scanner, until: end)
            } else {
                scanner.index = end
                let line = scanner.text(from: start, to: end)
                scanner.emit(line.contains("error:") || line.contains("Error:") ? .error : .output, from: start)
            }
        }
    }

    private static func tokenizeCommands(_ scanner: inout Scanner, until end: Int) {
        var commandStart = true
        while scanner.index < end, let scalar = scanner.peek() {
            let start = scanner.index
            if scalar == "#", start == 0 || Scanner.isSpace(scanner.scalar(at: start - 1)) || scanner.scalar(at: start - 1) == "\n" {
                scanner.advance { $0 != "\n" }
                scanner.emit(.comment, from: start)
            } else if scalar == "\"" || scalar == "'" {
                scanner.quoted(scalar)
                commandStart = false
            } else if scalar == "$", let next = scanner.peek(1), next == "{" || Scanner.isIdentifierStart(next) {
                scanner.index += 1
                if next == "{" { scanner.advance { $0 != "}" && $0 != "\n" }; if scanner.peek() == "}" { scanner.index += 1 } }
                else { scanner.advance(while: Scanner.isIdentifierPart) }
                scanner.emit(.variable, from: start)
                commandStart = false
            } else if scalar == "\n" {
                scanner.index += 1
                scanner.emit(.plain, from: start)
                let previous = start > 0 ? scanner.scalar(at: start - 1) : "\n"
                commandStart = previous != "\\"
            } else if Scanner.isSpace(scalar) {
                scanner.advance(while: Scanner.isSpace)
                scanner.emit(.plain, from: start)
            } else if "|&;()<>".unicodeScalars.contains(scalar) {
                scanner.advance { "|&;()<>".unicodeScalars.contains($0) }
                scanner.emit(.punctuation, from: start)
                commandStart = scalar != ">" && scalar != "<"
            } else if scalar == "\\" {
                scanner.index += 1
                scanner.emit(.punctuation, from: start)
            } else {
                scanner.advance { !Scanner.isSpace($0) && $0 != "\n" && !"|&;()<>\"'".unicodeScalars.contains($0) }
                let word = scanner.text(from: start, to: scanner.index)
                let kind: TokenKind =
                    commandStart ? (keywords.contains(word) ? .keyword : .command)
                    : word.hasPrefix("-") ? .option
                    : .plain
                scanner.emit(kind, from: start)
                if !(commandStart && keywords.contains(word)) { commandStart = false }
                if word.contains("="), kind == .command, !word.hasPrefix("=") { commandStart = true }  // VAR=x cmd
            }
        }
    }
}

/// Tokenizes GNU ld / LLVM lld linker scripts: commands, section names,
/// symbols, numbers with K/M suffixes, `/* */` comments.
enum LinkerScriptHighlighter {
    static let keywords: Set<String> = [
        "ABSOLUTE", "ADDR", "AFTER", "ALIGN", "ALIGNOF", "ASSERT", "AT", "BEFORE", "BLOCK", "BYTE",
        "CONSTANT", "CONSTRUCTORS", "COPY", "CREATE_OBJECT_SYMBOLS", "DATA_SEGMENT_ALIGN", "DATA_SEGMENT_END",
        "DEFINED", "DSECT", "ENTRY", "EXCLUDE_FILE", "EXTERN", "FILEHDR", "FILL", "FLAGS", "GROUP", "HIDDEN",
        "INCLUDE", "INFO", "INPUT", "INSERT", "KEEP", "LENGTH", "LOADADDR", "LONG", "MAX", "MEMORY", "MIN",
        "NEXT", "NOCROSSREFS", "NOLOAD", "ONLY_IF_RO", "ONLY_IF_RW", "ORIGIN", "OUTPUT", "OUTPUT_ARCH",
        "OUTPUT_FORMAT", "OVERLAY", "PHDRS", "PROVIDE", "PROVIDE_HIDDEN", "QUAD", "REGION_ALIAS",
        "SEARCH_DIR", "SECTIONS", "SEGMENT_START", "SHORT", "SIZEOF", "SIZEOF_HEADERS", "SORT",
        "SORT_BY_ALIGNMENT", "SORT_BY_INIT_PRIORITY", "SORT_BY_NAME", "SORT_NONE", "SQUAD", "STARTUP",
        "SUBALIGN", "TARGET", "VERSION",
    ]

    static func scan(_ scanner: inout Scanner) {
        while let scalar = scanner.peek() {
            let start = scanner.index
            if scanner.looksAt("/*") {
                scanner.blockComment()
            } else if scanner.looksAt("/DISCARD/") {
                scanner.index += 9
                scanner.emit(.keyword, from: start)
            } else if scalar == "\"" {
                scanner.quoted("\"")
            } else if Scanner.isDigit(scalar) {
                scanner.number()
            } else if scalar == ".", let next = scanner.peek(1), Scanner.isIdentifierStart(next) {
                scanner.index += 1
                scanner.advance { Scanner.isIdentifierPart($0) || $0 == "." || $0 == "$" }
                scanner.emit(.section, from: start)
            } else if scalar == "." {
                scanner.index += 1
                scanner.emit(.variable, from: start)  // the location counter
            } else if Scanner.isIdentifierStart(scalar) {
                scanner.advance { Scanner.isIdentifierPart($0) || $0 == "." || $0 == "$" }
                let word = scanner.text(from: start, to: scanner.index)
                let kind: TokenKind =
                    keywords.contains(word) ? .keyword
                    : word.hasPrefix("PT_") ? .type
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

    /// `NAME = expression;` (also inside `PROVIDE(...)`) defines NAME.
    static func definitions(in tokens: [Token]) -> [Int] {
        var result: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .identifier {
            guard let next = tokens.nextSignificant(after: index), tokens[next].kind == .punctuation else { continue }
            let text = tokens[next].text
            if text.hasPrefix("="), !text.hasPrefix("==") { result.append(index) }
        }
        return result
    }
}

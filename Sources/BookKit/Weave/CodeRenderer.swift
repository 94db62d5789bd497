/// Turns code blocks into HTML: highlighted tokens, links from identifiers
/// to their definitions and from `<<name>>` lines to their chunks, and the
/// header and cross-references of every chunk.
struct CodeRenderer {
    /// The book's tables, behind one reference: a renderer is copied into
    /// the closures that render each line.
    private final class Tables {
        let index: ChunkIndex
        let symbols: SymbolIndex

        init(index: ChunkIndex, symbols: SymbolIndex) {
            self.index = index
            self.symbols = symbols
        }
    }

    private let tables: Tables
    var index: ChunkIndex { tables.index }
    var symbols: SymbolIndex { tables.symbols }
    /// The path from the current page to the site's root ("" or "../../").
    var prefix: String = ""

    init(index: ChunkIndex, symbols: SymbolIndex, prefix: String = "") {
        tables = Tables(index: index, symbols: symbols)
        self.prefix = prefix
    }

    /// The token kinds that may name a symbol of the book.
    static func isLinkable(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .label, .type, .instruction: true
        default: false
        }
    }

    /// The inside of `<code>`.
    func codeHTML(_ code: HighlightedCode, key: BlockKey?, chapterNumber: Int) -> String {
        let html = HTMLBytes()
        for (segmentIndex, segment) in code.segments.enumerated() {
            switch segment {
            case .code(let tokens):
                for (tokenIndex, token) in tokens.enumerated() {
                    appendTokenHTML(
                        token, language: code.language, key: key,
                        position: HighlightedCode.Position(segment: segmentIndex, token: tokenIndex), to: html)
                }
            case .reference(let indent, let name, let newline):
                html.append(indent)
                html.append(referenceHTML(name, chapterNumber: chapterNumber))
                if newline { html.append("\n") }
            }
        }
        return html.string
    }

    func tokenHTML(_ token: Token, language: CodeLanguage, key: BlockKey?, position: HighlightedCode.Position) -> String {
        let html = HTMLBytes()
        appendTokenHTML(token, language: language, key: key, position: position, to: html)
        return html.string
    }

    /// Appends a token: escaped, in a `<span>` of its kind's class, or a
    /// link to the symbol it names (the definition itself gets the anchor).
    func appendTokenHTML(
        _ token: Token, language: CodeLanguage, key: BlockKey?, position: HighlightedCode.Position, to html: HTMLBytes
    ) {
        var kind = token.kind
        if kind == .identifier, language == .swift, token.text.first?.isUppercase == true { kind = .type }
        if language.linksSymbols, Self.isLinkable(token.kind), !symbols.isEmpty, let definition = symbols[token.text] {
            let classes = kind == .identifier || kind == .plain ? "" : kind.rawValue
            let text = HTML.escape(token.text)
            let space = classes.isEmpty ? "" : " "
            if definition.key == key, definition.position == position {
                html.append("<span class=\"\(classes)\(space)def\" id=\"\(definition.anchor)\">\(text)</span>")
            } else {
                html.append("<a class=\"\(classes)\(space)sym\" href=\"\(prefix)\(definition.href)\">\(text)</a>")
            }
            return
        }
        guard let open = kind.openingTag else { return html.appendEscaped(token.text) }
        html.append(open)
        html.appendEscaped(token.text)
        html.append("</span>")
    }

    /// Appends the HTML of code that defines nothing (no token is a
    /// definition): `text` highlighted as `language`, each token as
    /// `appendTokenHTML` writes it. ASCII text goes from the scanner's
    /// bytes, without a String for every token.
    func appendCodeHTML(_ text: String, language: CodeLanguage, to html: HTMLBytes) {
        language.scan(text) { appendCodeHTML($0, language: language, to: html) }
    }

    /// The same for text given as its UTF-8 bytes.
    func appendCodeHTML(bytes: UnsafeBufferPointer<UInt8>, language: CodeLanguage, to html: HTMLBytes) {
        language.scan(bytes: bytes) { appendCodeHTML($0, language: language, to: html) }
    }

    private func appendCodeHTML(_ scanner: Scanner, language: CodeLanguage, to html: HTMLBytes) {
        guard scanner.isASCII else {
            for (index, token) in scanner.tokens.enumerated() {
                appendTokenHTML(token, language: language, key: nil, position: .init(segment: -1, token: index), to: html)
            }
            return
        }
        let bytes = scanner.ascii
        let linking = language.linksSymbols && !symbols.isEmpty
        for (index, span) in scanner.spans.enumerated() {
            var kind = span.kind
            // An ASCII Character is upper-case when it is A-Z.
            if kind == .identifier, language == .swift, bytes[span.start] >= 0x41, bytes[span.start] <= 0x5A { kind = .type }
            if linking, Self.isLinkable(span.kind) {
                let token = Token(span.kind, scanner.text(from: span.start, to: span.end))
                if symbols[token.text] != nil {
                    appendTokenHTML(token, language: language, key: nil, position: .init(segment: -1, token: index), to: html)
                    continue
                }
            }
            let text = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
            guard let open = kind.openingTag else {
                html.appendEscapedASCII(text)
                continue
            }
            html.append(open)
            html.appendEscapedASCII(text)
            html.append("</span>")
        }
    }

    /// `⟨name 1b⟩`, linked to the definition the reference means.
    func referenceHTML(_ name: String, chapterNumber: Int) -> String {
        let label = "<span class=\"ref-name\">\(HTML.escape(name))</span>"
        guard let place = index.definition(of: name, forChapter: chapterNumber) else {
            return "<span class=\"ref undefined\" data-ref=\"\(HTML.escape(name))\" title=\"no chunk of this name\">⟨\(label)⟩</span>"
        }
        return "<a class=\"ref\" data-ref=\"\(HTML.escape(name))\" href=\"\(prefix)\(place.href)\">⟨\(label) <span class=\"ref-label\">\(place.label)</span>⟩</a>"
    }

    /// A whole code block as it stands in a chapter.
    func blockHTML(_ block: ChunkIndex.Block, code: HighlightedCode, chapterNumber: Int) -> String {
        let language = code.language
        let body = "<pre class=\"code lang-\(language.rawValue)\"><code>\(codeHTML(code, key: block.key, chapterNumber: chapterNumber))</code></pre>"
        guard let place = block.place else {
            if block.attributes.isTranscript {
                return "<figure class=\"code-block output\"><figcaption>Output</figcaption>\(body)</figure>\n"
            }
            let kind = language == .console ? " console" : ""
            let name = language.displayName.map { " data-lang=\"\(HTML.escape($0))\"" } ?? ""
            return "<div class=\"code-block illustration\(kind)\"\(name)>\(body)</div>\n"
        }
        return "<figure class=\"code-block chunk\" id=\"\(place.anchor)\">"
            + header(place, language: language) + body + crossReferences(place)
            + "</figure>\n"
    }

    func header(_ place: ChunkIndex.Place, language: CodeLanguage) -> String {
        let mode = switch place.mode {
        case .define: "<span class=\"mode\" title=\"defines\">≡</span>"
        case .append: "<span class=\"mode\" title=\"appends to\">+≡</span>"
        case .replace: "<span class=\"mode replace\" title=\"replaces\">:=</span>"
        }
        let name: String
        var meta: [String] = []
        switch place.target {
        case .file(let path):
            name = "<a class=\"chunk-name file\" href=\"#\(place.anchor)\"><span class=\"label\">\(place.label)</span> \(HTML.escape(path))</a> \(mode)"
            meta.append("<a class=\"chunk-file\" href=\"\(prefix)\(TangledFileView.pageName(for: path))\" title=\"the whole tangled file\">whole file</a>")
        case .named(let chunk):
            name = "<a class=\"chunk-name\" href=\"#\(place.anchor)\"><span class=\"label\">\(place.label)</span> ⟨\(HTML.escape(chunk))⟩</a> \(mode)"
            for file in index.files(containing: place.target) {
                meta.append("<a class=\"chunk-file\" href=\"\(prefix)\(TangledFileView.pageName(for: file))\" title=\"goes into this file\">→ \(HTML.escape(file))</a>")
            }
        }
        if let language = language.displayName { meta.insert("<span class=\"lang\">\(language)</span>", at: 0) }
        return "<figcaption class=\"chunk-head\">\(name)<span class=\"chunk-meta\">\(meta.joined(separator: " "))</span></figcaption>"
    }

    /// Noweb's footer: where else the target is defined, appended to,
    /// replaced, and which chunks use it.
    func crossReferences(_ place: ChunkIndex.Place) -> String {
        var parts: [String] = []
        let all = index.pieces[place.target] ?? []
        if all.count > 1 {
            var groups: [(String, [ChunkIndex.Place])] = []
            for mode in [ChunkMode.define, .append, .replace] {
                let those = all.filter { $0.mode == mode }
                if !those.isEmpty {
                    groups.append((mode == .define ? "Defined in" : mode == .append ? "appended in" : "replaced in", those))
                }
            }
            let text = groups.map { title, places in
                title + " " + places.map { other in
                    other == place
                        ? "<b class=\"here\">\(other.label)</b>"
                        : "<a href=\"\(prefix)\(other.href)\">\(other.label)</a>"
                }.joined(separator: ", ")
            }.joined(separator: "; ")
            parts.append("<span class=\"pieces\">\(text).</span>")
        }
        if case .named(let name) = place.target {
            var seen: Set<BlockKey> = []
            let users = (index.uses[name] ?? []).filter { seen.insert($0.key).inserted }
            if users.isEmpty {
                parts.append("<span class=\"uses\">Not used by any chunk.</span>")
            } else {
                let links = users.map { user in
                    "<a href=\"\(prefix)\(user.href)\">\(Self.targetName(user.target)) <span class=\"label\">\(user.label)</span></a>"
                }
                parts.append("<span class=\"uses\">Used in \(links.joined(separator: ", ")).</span>")
            }
        }
        guard !parts.isEmpty else { return "" }
        return "<div class=\"xref\">\(parts.joined(separator: " "))</div>"
    }

    static func targetName(_ target: ChunkTarget) -> String {
        switch target {
        case .file(let path): HTML.escape(path)
        case .named(let name): "⟨\(HTML.escape(name))⟩"
        }
    }
}

/// The page of one tangled file: the file as `book tangle` writes it,
/// without header and line markers, each piece labelled with the chunk it
/// comes from and linked back to it.
struct TangledFileView {
    let graph: ChunkGraph
    let index: ChunkIndex
    let symbols: SymbolIndex

    /// `files/asm/entry32.S.html`
    static func pageName(for path: String) -> String { "files/\(path).html" }

    /// The path from the file's page back to the site's root.
    static func prefix(for path: String) -> String {
        String(repeating: "../", count: pageName(for: path).split(separator: "/").count - 1)
    }

    static func language(for path: String) -> CodeLanguage {
        switch CommentStyle(path: path) {
        case .swift: .swift
        case .cpp: .asm
        case .blockComment where path.hasSuffix(".ld"): .ld
        case .hash where path.hasSuffix(".sh"): .shell
        default: .plain
        }
    }

    /// The `<pre>` of the whole file.
    func codeHTML(for path: String) -> String {
        let renderer = CodeRenderer(index: index, symbols: symbols, prefix: Self.prefix(for: path))
        let language = Self.language(for: path)
        let html = HTMLBytes()
        guard let chunk = graph.chunks[.file(path)] else { return "" }
        html.append("<pre class=\"code tangled lang-")
        html.append(language.rawValue)
        html.append("\"><code>")
        expand(chunk, indent: "", stack: [], language: language, renderer: renderer, into: html)
        html.append("</code></pre>")
        return html.string
    }

    private func label(_ piece: ChunkPiece, target: ChunkTarget, indent: String, continued: Bool, renderer: CodeRenderer) -> String {
        let key = piece.key
        let name = CodeRenderer.targetName(target)
        guard let place = index.blocks[key]?.place else { return "" }
        let text = "\(name) <span class=\"label\">\(place.label)</span>\(continued ? " (continued)" : "")"
        return "<span class=\"seg\">\(indent)<a href=\"\(renderer.prefix)\(place.href)\">\(text)</a>\n</span>"
    }

    private func expand(
        _ chunk: Chunk, indent: String, stack: [String], language: CodeLanguage,
        renderer: CodeRenderer, into html: HTMLBytes
    ) {
        for piece in chunk.pieces {
            html.append(label(piece, target: chunk.target, indent: indent, continued: false, renderer: renderer))
            // The lines between references, indented, each with its newline.
            let run = HTMLBytes()
            func flush() {
                guard !run.isEmpty else { return }
                run.withBytes { renderer.appendCodeHTML(bytes: $0, language: language, to: html) }
                run.removeAll()
            }
            for (lineIndex, line) in piece.lines.enumerated() {
                guard let reference = Reference(line: line) else {
                    if !line.isEmpty {
                        run.append(indent)
                        run.append(line)
                    }
                    run.append("\n")
                    continue
                }
                flush()
                if !stack.contains(reference.name), let target = graph.chunks[.named(reference.name)] {
                    expand(target, indent: indent + reference.indent, stack: stack + [reference.name],
                           language: language, renderer: renderer, into: html)
                    if lineIndex + 1 < piece.lines.count {
                        html.append(label(piece, target: chunk.target, indent: indent, continued: true, renderer: renderer))
                    }
                } else {
                    html.appendEscaped(indent + reference.indent)
                    html.append(renderer.referenceHTML(reference.name, chapterNumber: Int.max))
                    html.append("\n")
                }
            }
            flush()
        }
    }
}

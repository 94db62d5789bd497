/// "What changed in this chapter": the section at the end of a chapter
/// page with the diff of the generated files, one collapsed `<details>` per
/// file. Plain HTML and CSS: it reads without JavaScript, the +/- lines are
/// coloured by class, and the signs stay in the text so that copying gives
/// a diff.
struct ChangesView {
    static let anchor = "what-changed-in-this-chapter"
    static let title = "What changed in this chapter"
    /// The link to the section in the files note under a chapter's title.
    static let link = " <a href=\"#\(anchor)\">See what changed.</a>"

    let changes: ChapterChanges
    let symbols: SymbolIndex
    let index: ChunkIndex

    var html: String {
        var html = "<section class=\"changes\" aria-labelledby=\"\(Self.anchor)\">\n"
        html += "<h2 id=\"\(Self.anchor)\">\(Self.title)<a class=\"anchor\" href=\"#\(Self.anchor)\" aria-label=\"Link to this section\">#</a></h2>\n"
        html += "<p>\(summary) Line markers are left out; <code>book diff \(changes.chapter)</code> prints the same as a unified diff.</p>\n"
        for file in changes.files { html += fileHTML(file) }
        return html + "</section>\n"
    }

    /// "The generated files after chapter 2 compared with chapter 1: …"
    var summary: String {
        let created = changes.files.filter { $0.kind == .created }.count
        let changed = changes.files.filter { $0.kind == .changed }.count
        let removed = changes.files.filter { $0.kind == .removed }.count
        var parts: [String] = []
        if created > 0 { parts.append("\(created) new file\(created == 1 ? "" : "s")") }
        if changed > 0 { parts.append("\(changed) changed file\(changed == 1 ? "" : "s")") }
        if removed > 0 { parts.append("\(removed) removed file\(removed == 1 ? "" : "s")") }
        let added = changes.files.reduce(0) { $0 + $1.addedLines }
        let deleted = changes.files.reduce(0) { $0 + $1.removedLines }
        let lines = "\(added) line\(added == 1 ? "" : "s") added, \(deleted) removed"
        let compared = changes.previous.map { "The code after this chapter compared with the code after chapter \($0)" }
            ?? "The code this chapter creates"
        return "\(compared): \(Self.list(parts)), \(lines)."
    }

    static func list(_ parts: [String]) -> String {
        switch parts.count {
        case 0: ""
        case 1: parts[0]
        default: parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
    }

    func fileHTML(_ file: ChapterChanges.File) -> String {
        let kind = switch file.kind {
        case .created: "<span class=\"diff-kind created\">new</span>"
        case .changed: ""
        case .removed: "<span class=\"diff-kind removed\">removed</span>"
        }
        let stat = "<span class=\"diff-stat\"><span class=\"plus\">+\(file.addedLines)</span> <span class=\"minus\">−\(file.removedLines)</span></span>"
        var html = "<details class=\"file-diff\"><summary><code>\(HTML.escape(file.path))</code>\(kind)\(stat)</summary>\n"
        let language = TangledFileView.language(for: file.path)
        let renderer = CodeRenderer(index: index, symbols: symbols)
        let code = HTMLBytes()
        code.append("<div class=\"code-block diff\"><pre class=\"code diff lang-")
        code.append(language.rawValue)
        code.append("\"><code>")
        for hunk in file.hunks {
            code.append("<span class=\"dl hunk\">")
            code.appendEscaped(hunk.header)
            code.append("\n</span>")
            for edit in hunk.edits {
                switch edit {
                case .same: code.append("<span class=\"dl\"><span class=\"sign\"> </span>")
                case .added: code.append("<span class=\"dl add\"><span class=\"sign\">+</span>")
                case .removed: code.append("<span class=\"dl del\"><span class=\"sign\">-</span>")
                }
                renderer.appendCodeHTML(edit.line, language: language, to: code)
                code.append("\n</span>")
            }
        }
        code.append("</code></pre></div>\n")
        html += code.string
        return html + "</details>\n"
    }
}

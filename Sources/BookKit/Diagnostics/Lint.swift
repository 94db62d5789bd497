import CCmark

/// Checks of the chapters as documents, beyond their code: numbering,
/// empty chapters, line endings, and chunk references written in prose,
/// where the tangler never sees them.
enum Lint {
    static func check(book: Book, log: inout DiagnosticLog) {
        checkNumbering(book.chapters, log: &log)
        for chapter in book.chapters {
            if chapter.text.allSatisfy(\.isWhitespace) {
                log.report(.warning("chapter is empty", at: SourceLocation(file: chapter.path, line: 1)))
                continue
            }
            if let line = chapter.firstCRLFLine {
                log.report(.note(
                    "the chapter has CRLF line endings; book reads it with LF endings and book sync keeps them",
                    at: SourceLocation(file: chapter.path, line: line)))
            }
            checkProse(chapter, log: &log)
        }
    }

    /// Chapters are numbered 00, 01, 02, ... without gaps or repeats.
    static func checkNumbering(_ chapters: [Chapter], log: inout DiagnosticLog) {
        for (previous, chapter) in zip(chapters, chapters.dropFirst()) {
            let at = SourceLocation(file: chapter.path, line: 1)
            let other = SourceLocation(file: previous.path, line: 1)
            if chapter.number == previous.number {
                log.report(.error("two chapters are numbered \(chapter.number)", at: at, notes: [.note("the other one", at: other)]))
            } else if chapter.number > previous.number + 1 {
                let missing = (previous.number + 1)..<chapter.number
                let names = missing.map { String(format: "%02d", $0) }.joined(separator: ", ")
                log.report(.warning(
                    "chapter numbers jump from \(String(format: "%02d", previous.number)) to \(String(format: "%02d", chapter.number)): no chapter \(names)",
                    at: at, notes: [.note("the chapter before it", at: other)]))
            }
        }
    }

    /// A `<<name>>` line outside code blocks, or a line holding nothing but
    /// inline code with one, is prose: it includes nothing.
    static func checkProse(_ chapter: Chapter, log: inout DiagnosticLog) {
        let lines = chapter.text.lines()
        let code = MarkdownParser.nonProseLines(in: chapter)
        for (index, line) in lines.enumerated() where !code.contains(index + 1) && line.contains("<<") {
            let text = String(line)
            if let reference = Reference(line: text) {
                log.report(.warning(
                    "<<\(reference.name)>> is in prose, outside any code block, so it includes nothing; put it inside the code block that should include the chunk",
                    at: SourceLocation(file: chapter.path, line: index + 1, column: reference.column + 1)))
                continue
            }
            // Inline code alone on its line is a reference that was meant
            // for a code block; inside a sentence it is prose talking about
            // references (chapter 00 and the debugging chapter do that).
            let spans = inlineCodeSpans(in: text)
            let trimmed = text.trimmingWhitespace()
            let ticks = trimmed.prefix { $0 == "`" }.count
            guard spans.count == 1, let span = spans.first, trimmed.count == span.text.count + 2 * ticks,
                  let reference = Reference(line: span.text.trimmingWhitespace())
            else { continue }
            log.report(.warning(
                "inline code `<<\(reference.name)>>` alone on a line looks like a chunk reference, but prose includes nothing; write the reference inside a code block",
                at: SourceLocation(file: chapter.path, line: index + 1, column: span.column)))
        }
    }

    /// Backtick code spans on one line: their text and the 1-based column
    /// of the opening backtick.
    static func inlineCodeSpans(in line: String) -> [(text: String, column: Int)] {
        let characters = Array(line)
        var spans: [(String, Int)] = []
        var index = 0
        while index < characters.count {
            guard characters[index] == "`" else { index += 1; continue }
            var run = 0
            while index + run < characters.count, characters[index + run] == "`" { run += 1 }
            var close = index + run
            var found: Int?
            while close < characters.count {
                if characters[close] == "`" {
                    var other = 0
                    while close + other < characters.count, characters[close + other] == "`" { other += 1 }
                    if other == run { found = close; break }
                    close += other
                } else {
                    close += 1
                }
            }
            guard let end = found else { index += run; continue }
            spans.append((String(characters[(index + run)..<end]), index + 1))
            index = end + run
        }
        return spans
    }
}

extension MarkdownParser {
    /// The (1-based) lines of code blocks, fenced or indented, and of HTML
    /// blocks: everything that is not prose.
    static func nonProseLines(in chapter: Chapter) -> Set<Int> {
        var result: Set<Int> = []
        guard let document = chapter.text.withCString({ cmark_parse_document($0, chapter.text.utf8.count, CMARK_OPT_SOURCEPOS) }) else {
            return result
        }
        defer { cmark_node_free(document) }
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK else { continue }
            let start = Int(cmark_node_get_start_line(node)), end = Int(cmark_node_get_end_line(node))
            if start >= 1, end >= start { result.formUnion(start...end) }
        }
        return result
    }
}

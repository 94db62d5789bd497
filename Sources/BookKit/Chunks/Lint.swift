import Foundation
import CCmark

/// Checks of the chapters as documents, beyond their code: numbering,
/// empty chapters, line endings, and chunk references written in prose,
/// where the tangler never sees them.
enum Lint {
    /// The numbering of the chapters, then each chapter's own findings (made
    /// when it was parsed), in chapter order.
    static func check(_ chapters: [ParsedChapter], log: inout DiagnosticLog) {
        checkNumbering(chapters.map(\.chapter), log: &log)
        for chapter in chapters { log.report(contentsOf: chapter.lint) }
    }

    /// The checks of one chapter on its own; `nonProse` holds the lines of
    /// its code and HTML blocks.
    static func check(_ chapter: Chapter, nonProse: LineSet, log: inout DiagnosticLog) {
        if chapter.text.allSatisfy(\.isWhitespace) {
            log.report(.warning("chapter is empty", at: SourceLocation(file: chapter.path, line: 1)))
            return
        }
        if let location = chapter.firstLoneCR {
            log.report(.warning(
                "a carriage return (\\r) without a line feed ends the line here, as Markdown reads it, and book reads it so too; replace it with a line feed",
                at: location))
        }
        if let line = chapter.firstCRLFLine {
            log.report(.note(
                "the chapter has CRLF line endings; book reads it with LF endings and book sync keeps them",
                at: SourceLocation(file: chapter.path, line: line)))
        }
        checkProse(chapter, nonProse: nonProse, log: &log)
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
    static func checkProse(_ chapter: Chapter, nonProse: LineSet, log: inout DiagnosticLog) {
        let candidates = linesHoldingReferenceMarks(chapter.text).filter { !nonProse.contains($0) }
        guard !candidates.isEmpty else { return }
        let lines = chapter.text.lines()
        for number in candidates {
            let index = number - 1, line = lines[index]
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

extension Lint {
    /// The (1-based) numbers of the lines holding `<<`, each once, found
    /// with memchr on the bytes: the only lines that can hold a reference.
    static func linesHoldingReferenceMarks(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [Int] = []
            guard let base = bytes.baseAddress else { return result }
            var line = 1, counted = 0, offset = 0
            while offset + 1 < bytes.count, let hit = memchr(base + offset, 60, bytes.count - offset - 1) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                offset = at + 1
                guard bytes[at + 1] == 60 else { continue }
                line += UnsafeBufferPointer(rebasing: bytes[counted..<at]).reduce(0) { $1 == 10 ? $0 + 1 : $0 }
                counted = at
                if result.last != line { result.append(line) }
                offset = at + 2
            }
            return result
        }
    }
}

import Foundation
import CCmark

/// Finds the fenced code blocks of a chapter with libcmark, the CommonMark
/// reference parser, keeping their source positions.
public enum MarkdownParser {
    /// How a chapter is parsed for its code blocks: with source positions.
    static let blockOptions = CMARK_OPT_SOURCEPOS
    /// How Markdown is parsed for the weave to render: with source
    /// positions, smart punctuation and raw HTML. (The code blocks come out
    /// the same; smart punctuation costs time a tangle does not need.)
    static let options = blockOptions | CMARK_OPT_SMART | CMARK_OPT_UNSAFE

    public static func codeBlocks(in chapter: Chapter) -> [CodeBlock] {
        parse(chapter, keepingDocument: false).blocks
    }

    /// One pass of libcmark over the chapter: its fenced code blocks, the
    /// lines that are not prose (code blocks of any kind, HTML blocks),
    /// and, when asked, the document for the weave to render.
    static func parse(_ chapter: Chapter, keepingDocument: Bool) -> (blocks: [CodeBlock], nonProse: LineSet, document: MarkdownDocument?) {
        var blocks: [CodeBlock] = []
        var nonProse = LineSet()
        let sourceLines = chapter.text.lines()
        guard let document = MarkdownDocument(parsing: chapter.text, options: keepingDocument ? options : blockOptions) else {
            return (blocks, nonProse, nil)
        }
        let iterator = cmark_iter_new(document.root!)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK else { continue }
            let startLine = Int(cmark_node_get_start_line(node))
            let endLine = Int(cmark_node_get_end_line(node))
            nonProse.insert(startLine...max(startLine, endLine))
            guard type == CMARK_NODE_CODE_BLOCK else { continue }
            let startColumn = Int(cmark_node_get_start_column(node))
            guard startLine >= 1, startLine <= sourceLines.count,
                  let fence = Fence(line: sourceLines[startLine - 1], column: startColumn)
            else { continue }  // an indented code block: an illustration
            let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            var lines = literal.lines().map(String.init)
            if lines.last == "" { lines.removeLast() }
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            let closed = endLine > startLine && endLine <= sourceLines.count
                && fence.isClosed(by: sourceLines[endLine - 1])
            blocks.append(CodeBlock(
                info: info.trimmingWhitespace(),
                infoLocation: SourceLocation(file: chapter.path, line: startLine, column: fence.infoColumn),
                fenceLocation: SourceLocation(file: chapter.path, line: startLine, column: fence.column),
                lines: lines,
                firstLine: startLine + 1,
                baseColumn: fence.column,
                isTerminated: closed
            ))
        }
        return (blocks, nonProse, keepingDocument ? document : nil)
    }
}

/// libcmark's tree of a Markdown text, freed with this object. The weave
/// renders a chapter by rewriting its tree in place, so the tree that was
/// read for the chapter's code blocks can be rendered once: `take()` hands
/// it over.
final class MarkdownDocument: @unchecked Sendable {
    // Read by one thread at a time: the chapter's parser, then its renderer.
    fileprivate private(set) var root: OpaquePointer?

    init?(parsing text: String, options: Int32 = MarkdownParser.options) {
        guard let root = text.withCString({ cmark_parse_document($0, text.utf8.count, options) }) else { return nil }
        self.root = root
    }

    deinit {
        if let root { cmark_node_free(root) }
    }

    /// The tree, now the caller's to change and free; nil when it was
    /// taken before.
    func take() -> OpaquePointer? {
        defer { root = nil }
        return root
    }
}

/// Line numbers held as sorted, non-overlapping ranges (the blocks of a
/// chapter come in document order).
struct LineSet: Sendable {
    private var ranges: [ClosedRange<Int>] = []

    mutating func insert(_ range: ClosedRange<Int>) {
        guard range.lowerBound >= 1 else { return }
        if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
            ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
        } else {
            ranges.append(range)
        }
    }

    func contains(_ line: Int) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < line { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(line)
    }
}

/// The opening fence of a code block as written in the source line.
private struct Fence {
    var character: Character
    var length: Int
    var column: Int
    var infoColumn: Int

    /// Reads a fence at or after `column` (1-based); nil when the line does
    /// not hold one there (an indented code block).
    init?(line: Substring, column: Int) {
        let characters = Array(line)
        var index = column - 1
        while index < characters.count, characters[index] == " " { index += 1 }
        guard index < characters.count, characters[index] == "`" || characters[index] == "~" else { return nil }
        character = characters[index]
        self.column = index + 1
        var end = index
        while end < characters.count, characters[end] == character { end += 1 }
        length = end - index
        while end < characters.count, characters[end] == " " || characters[end] == "\t" { end += 1 }
        infoColumn = end + 1
    }

    /// Whether `line` is a closing fence for this one: at least as many of
    /// the same character and nothing else, after any container prefix.
    func isClosed(by line: Substring) -> Bool {
        let body = line.drop { $0 == " " || $0 == ">" || $0 == "\t" }
        let run = body.prefix { $0 == character }
        return run.count >= length && body.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
    }
}

extension String {
    /// The lines of the text, split at `\n` on the UTF-8 bytes (much faster
    /// than splitting Characters, and the same for `\n`).
    func lines() -> [Substring] {
        var starts: [Int] = [0]
        var copy = self
        copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, 10, bytes.count - offset) {
                offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
        }
        var result: [Substring] = []
        result.reserveCapacity(starts.count)
        let view = utf8
        var lower = view.startIndex
        for index in starts.indices.dropFirst() {
            let upper = view.index(lower, offsetBy: starts[index] - 1 - starts[index - 1])
            result.append(self[lower..<upper])
            lower = view.index(after: upper)
        }
        result.append(self[lower...])
        return result
    }

    /// Whether the UTF-8 bytes contain `byte` (memchr, not a Character scan).
    func containsByte(_ byte: UInt8) -> Bool {
        var copy = self
        return copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }
    }

    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

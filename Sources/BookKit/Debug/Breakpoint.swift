import Foundation

/// Where `book debug` stops: a chapter line, a chunk, or a symbol.
public struct Breakpoint: Sendable, Hashable {
    /// As the reader wrote it (`chapters/03-long-mode.md:120`,
    /// `enable paging and long mode`, `swift_main`).
    public var request: String
    /// What GDB gets after `hbreak`.
    public var gdbLocation: String
    /// Why the location differs from the request, if it does.
    public var note: String?

    /// `requests` resolved against the built image of `state`, whose
    /// chapters they may name.
    public static func resolve(_ requests: [String], in state: CodeState) throws -> [Breakpoint] {
        let image = state.recipe.elf64
        let lines = try LineTable(image: image)
        let chapters = try state.book.chapters(upTo: state.chapter)
        return try requests.map { try resolve($0, book: state.book, chapters: chapters, lines: lines, image: image) }
    }

    /// Resolves `request` against a built code state:
    /// - `chapters/NN-x.md:LINE` (or `NN-x.md:LINE`): that line, or the
    ///   next line of the same code block that has machine code;
    /// - a chunk name: the chapter line of the chunk's first instruction
    ///   (following `<<references>>` into the chunks they include);
    /// - `*ADDRESS` or a symbol of the image: passed to GDB as it is.
    public static func resolve(_ request: String, book: Book, chapters: [Chapter], lines: LineTable, image: URL) throws -> Breakpoint {
        if let colon = request.lastIndex(of: ":"), request[..<colon].hasSuffix(".md"), let number = Int(request[request.index(after: colon)...]) {
            var file = String(request[..<colon])
            if !file.hasPrefix("chapters/") { file = "chapters/" + file }
            guard let chapter = chapters.first(where: { $0.path == file }) else {
                let known = book.chapters.first { $0.path == file } != nil
                throw DiagnosticError([.error(known ? "\(file) is not part of this code state (use --upto)" : "no chapter \(file)", at: nil)])
            }
            let wanted = LineTable.SourceLine(file: file, line: number)
            if lines.hasCode(wanted) { return Breakpoint(request: request, gdbLocation: wanted.description) }
            // Lines without machine code: declarations, comments, and Swift
            // lines whose code the optimiser folded into other lines or
            // removed. Show the nearest lines that have code.
            let (before, after) = lines.nearestLinesWithCode(around: wanted)
            var nearest: [String] = []
            if let before { nearest.append("line \(before.line) before it") }
            if let after { nearest.append("line \(after.line) after it") }
            let nearestText = nearest.isEmpty ? "no line of \(file) has code in this image" : "the nearest lines with code: " + nearest.joined(separator: ", ")
            // The rest of the code block the line is in.
            let block = MarkdownParser.codeBlocks(in: chapter).first { number >= $0.firstLine - 1 && number < $0.firstLine + $0.lines.count }
            if let block, let after, after.line < block.firstLine + block.lines.count {
                return Breakpoint(request: request, gdbLocation: after.description,
                                  note: "\(wanted) has no machine code (\(nearestText)); stopping at line \(after.line)")
            }
            throw DiagnosticError([.error(
                "no machine code comes from \(wanted)\(block == nil ? " (it is not in a code block)" : " or the lines after it in its code block")"
                    + "; \(nearestText)",
                at: SourceLocation(file: file, line: number)
            )])
        }
        let graph = try ChunkGraph(chapters: chapters)
        if let chunk = graph[.named(request)] {
            var search = FirstCodeLine(lines: lines)
            ChunkExpander(graph: graph).expand(chunk, into: &search)
            guard let line = search.found else {
                throw DiagnosticError([.error("chunk \"\(request)\" produces no machine code in this code state", at: chunk.definition)])
            }
            return Breakpoint(request: request, gdbLocation: line.description, note: "chunk \"\(request)\" starts at \(line)")
        }
        if request.hasPrefix("*") { return Breakpoint(request: request, gdbLocation: request) }
        let symbols = try Command(.nm, ["--defined-only", image.path]).check()
        if symbols.split(separator: "\n").contains(where: { $0.split(separator: " ").last.map(String.init) == request }) {
            return Breakpoint(request: request, gdbLocation: request)
        }
        let similar = graph.chunks.compactMap { chunk -> String? in
            if case .named(let name) = chunk.target, name.localizedCaseInsensitiveContains(request) || request.localizedCaseInsensitiveContains(name) { return name }
            return nil
        }.sorted()
        let hint = similar.isEmpty ? "" : " (chunks with a similar name: \(similar.map { "\"\($0)\"" }.joined(separator: ", ")))"
        throw DiagnosticError([.error(
            "\"\(request)\" is no chapter line (chapters/NN-x.md:LINE), chunk or symbol of this code state\(hint)", at: nil
        )])
    }
}

/// The first line of an expansion, in tangled order, that has machine code
/// in the image `lines` describes.
private struct FirstCodeLine: ExpansionVisitor {
    let lines: LineTable
    private(set) var found: LineTable.SourceLine?

    init(lines: LineTable) {
        self.lines = lines
    }

    mutating func code(_ range: Range<Int>, of visit: PieceVisit) {
        for index in range where found == nil {
            let line = LineTable.SourceLine(file: visit.piece.chapter, line: visit.piece.firstLine + index)
            if lines.hasCode(line) { found = line }
        }
    }
}

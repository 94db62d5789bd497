/// A chapter read once, on its own: libcmark's pass over it, every code
/// block's attributes parsed and checked, and (when asked) the checks of its
/// prose. Nothing here depends on other chapters, so all chapters are read
/// at the same time on all cores; the chunk graph then adds them in order.
struct ParsedChapter: Sendable {
    var chapter: Chapter
    var blocks: [ParsedBlock]
    /// The lint findings of the chapter alone (empty, CRLF, references in
    /// prose), in line order; empty unless parsed with `lint`.
    var lint: [Diagnostic]

    /// One fenced code block and what its checks found, kept apart so the
    /// graph can report them in the order it always has.
    struct ParsedBlock: Sendable {
        var block: CodeBlock
        /// Nil when the info string has errors (they are in `attributeErrors`).
        var attributes: ChunkAttributes?
        var attributeErrors: [Diagnostic]
        /// Mixed tabs and spaces before `<<references>>`.
        var indentationWarnings: [Diagnostic]
        /// The chunk names the block's `<<references>>` include, in order.
        var referenceNames: [String] = []
    }

    init(_ chapter: Chapter, lint: Bool) {
        self.chapter = chapter
        let (blocks, nonProse) = MarkdownParser.parse(chapter)
        self.blocks = blocks.map { block in
            var attributeLog = DiagnosticLog(), indentationLog = DiagnosticLog()
            let attributes = ChunkAttributes.parse(block, log: &attributeLog)
            var referenceNames: [String] = []
            if attributes?.target != nil {
                referenceNames = ChunkGraph.checkReferenceIndentation(block, log: &indentationLog)
            }
            return ParsedBlock(
                block: block, attributes: attributes,
                attributeErrors: attributeLog.all, indentationWarnings: indentationLog.all, referenceNames: referenceNames)
        }
        var lintLog = DiagnosticLog()
        if lint {
            Lint.check(chapter, nonProse: nonProse, log: &lintLog)
            for parsed in self.blocks { Lint.checkUncheckedOutput(parsed.block, attributes: parsed.attributes, log: &lintLog) }
        }
        self.lint = lintLog.all
    }

    /// Every chapter parsed, the work spread over the cores; in order.
    static func all(_ chapters: [Chapter], lint: Bool) -> [ParsedChapter] {
        chapters.count < 2
            ? chapters.map { ParsedChapter($0, lint: lint) }
            : Parallel.map(chapters) { ParsedChapter($0, lint: lint) }
    }
}

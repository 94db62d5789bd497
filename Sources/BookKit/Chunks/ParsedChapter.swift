/// A chapter read once, on its own: libcmark's pass over it, every code
/// block's attributes and `<<references>>` read and checked, the checks of
/// its prose, and on request libcmark's document for the weave to render.
/// Nothing here depends on other chapters, so all chapters are read at the
/// same time on all cores; the chunk graph then adds them in order.
struct ParsedChapter: Sendable {
    var chapter: Chapter
    var blocks: [ParsedBlock]
    /// The lint findings of the chapter alone (empty, CRLF, references in
    /// prose, unchecked output), in line order.
    var lint: [Diagnostic]
    /// The tree the code blocks were read from, kept for the weave.
    var document: MarkdownDocument?

    /// One fenced code block and what its checks found, kept apart so the
    /// graph can report them in the order it always has.
    struct ParsedBlock: Sendable {
        var block: CodeBlock
        /// Nil when the info string has errors (they are in `attributeErrors`).
        var attributes: ChunkAttributes?
        var attributeErrors: [Diagnostic]
        /// Mixed tabs and spaces before `<<references>>` (code blocks only).
        var indentationWarnings: [Diagnostic]
        /// The block's `<<references>>`, in order.
        var references: [Reference]
    }

    init(_ chapter: Chapter, keepingDocument: Bool = false) {
        self.chapter = chapter
        let (blocks, nonProse, document) = MarkdownParser.parse(chapter, keepingDocument: keepingDocument)
        self.document = document
        self.blocks = blocks.map { block in
            var attributeLog = DiagnosticLog(), indentationLog = DiagnosticLog()
            let attributes = ChunkAttributes.parse(block, log: &attributeLog)
            let references = Reference.all(in: block.lines)
            if attributes?.target != nil {
                ReferenceIndentation.check(block, references: references, log: &indentationLog)
            }
            return ParsedBlock(
                block: block, attributes: attributes,
                attributeErrors: attributeLog.all, indentationWarnings: indentationLog.all, references: references)
        }
        var lintLog = DiagnosticLog()
        Lint.check(chapter, nonProse: nonProse, log: &lintLog)
        for parsed in self.blocks { Lint.checkUncheckedOutput(parsed.block, attributes: parsed.attributes, log: &lintLog) }
        lint = lintLog.all
    }

    /// Every chapter parsed, the work spread over the cores; in order.
    static func all(_ chapters: [Chapter], keepingDocuments: Bool = false) -> [ParsedChapter] {
        Parallel.map(chapters) { ParsedChapter($0, keepingDocument: keepingDocuments) }
    }
}

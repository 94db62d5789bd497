/// A fenced code block of a chapter, with the positions the tangler needs
/// to point back into the Markdown.
public struct CodeBlock: Hashable, Sendable {
    /// The info string after the opening fence, trimmed (`asm file=asm/x.S`).
    public var info: String
    /// Where the info string starts in the chapter (for attribute columns).
    public var infoLocation: SourceLocation
    /// Where the opening fence starts.
    public var fenceLocation: SourceLocation
    /// The code, one entry per line, without the fences.
    public var lines: [String]
    /// The chapter line of `lines[0]`.
    public var firstLine: Int
    /// The chapter column where the code's own column 1 sits (the fence's
    /// indentation inside lists and quotes).
    public var baseColumn: Int
    /// False when the document ended before the closing fence.
    public var isTerminated: Bool

    /// The block's identity in the book.
    var key: BlockKey { BlockKey(chapter: fenceLocation.file, line: fenceLocation.line) }
}

/// Identifies a code block of the book: its chapter and the line of its
/// opening fence.
struct BlockKey: Hashable, Sendable {
    var chapter: String
    var line: Int
}

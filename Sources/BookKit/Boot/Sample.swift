/// Output the prose shows that is neither a boot transcript nor a command
/// transcript: a ```` ```console sample=NAME ```` block (a GDB session, a
/// QEMU log, `llvm-readelf`'s listing). A boot test produces the real output
/// and compares it by name, with the rules of transcripts (`…` within a
/// line, `⋮` for lines left out); `book check` refuses output that is none
/// of these.
public struct Sample: Hashable, Sendable {
    public var name: String
    public var transcript: Transcript

    /// The samples of a chapter, in order.
    public static func all(in chapter: Chapter) -> [Sample] {
        MarkdownParser.codeBlocks(in: chapter).compactMap { block in
            var log = DiagnosticLog()
            guard let attributes = ChunkAttributes.parse(block, log: &log), let name = attributes.sample else { return nil }
            return Sample(name: name, transcript: Transcript(lines: block.lines, location: block.fenceLocation))
        }
    }
}

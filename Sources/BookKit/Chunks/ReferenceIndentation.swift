/// The included lines get exactly the indentation of the `<<reference>>`
/// that includes them; a reference indented unlike the rest of its block
/// gives code indented unlike its neighbours.
enum ReferenceIndentation {
    /// Warns about references whose indentation mixes tabs and spaces, or
    /// uses tabs where the rest of the block uses spaces (or the other way
    /// round).
    static func check(_ block: CodeBlock, references: [Reference], log: inout DiagnosticLog) {
        guard references.contains(where: { !$0.indent.isEmpty }) else { return }
        var blockUsesTabs = false, blockUsesSpaces = false
        var remaining = references.makeIterator()
        var next = remaining.next()
        for (index, line) in block.lines.enumerated() {
            if index == next?.index {
                next = remaining.next()
            } else if line.utf8.first == UInt8(ascii: "\t") {
                blockUsesTabs = true
            } else if line.utf8.first == UInt8(ascii: " ") {
                blockUsesSpaces = true
            }
        }
        for reference in references where !reference.indent.isEmpty {
            let location = SourceLocation(file: block.fenceLocation.file, line: block.firstLine + reference.index, column: block.baseColumn)
            let tabs = reference.indent.contains("\t"), spaces = reference.indent.contains(" ")
            if tabs && spaces {
                log.report(.warning(
                    "the indentation of <<\(reference.name)>> mixes tabs and spaces; every line of the chunk gets exactly this indentation",
                    at: location))
            } else if tabs && blockUsesSpaces && !blockUsesTabs {
                log.report(.warning(
                    "<<\(reference.name)>> is indented with tabs, the rest of the block with spaces; the chunk's lines will be indented with tabs",
                    at: location))
            } else if spaces && blockUsesTabs && !blockUsesSpaces {
                log.report(.warning(
                    "<<\(reference.name)>> is indented with spaces, the rest of the block with tabs; the chunk's lines will be indented with spaces",
                    at: location))
            }
        }
    }
}

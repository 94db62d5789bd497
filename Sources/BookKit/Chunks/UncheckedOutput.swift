import Foundation

/// Output that the prose shows must come from a check: a transcript that
/// the boot tests compare, an exercise checker, or a named sample that a
/// test compares with real output. A block that looks like boot or tool
/// output and is none of these was copied by hand, and goes stale the day
/// the code changes.
extension Lint {
    static func checkUncheckedOutput(_ block: CodeBlock, attributes: ChunkAttributes?, log: inout DiagnosticLog) {
        guard let attributes, attributes.target == nil, !attributes.isTranscript, attributes.exerciseID == nil,
              attributes.figure == nil, attributes.sample == nil,
              attributes.language.map(outputLanguages.contains) ?? true
        else { return }
        guard let index = block.lines.firstIndex(where: looksLikeOutput) else { return }
        let line = block.lines[index].trimmingWhitespace()
        log.report(.error(
            "this block shows output that nothing checks (line \(block.firstLine + index): \(line.prefix(60))): make it a transcript (```console transcript) or a named sample (```console sample=NAME) that a test compares with real output",
            at: block.fenceLocation))
    }

    /// The info-string languages of blocks that show a terminal.
    static let outputLanguages: Set<String> = ["console", "text", "output", "log"]

    /// Lines that a boot, QEMU, GDB or the book's tools print.
    static func looksLikeOutput(_ raw: String) -> Bool {
        let line = raw.trimmingWhitespace()
        for prefix in outputPrefixes where line.hasPrefix(prefix) { return true }
        return outputPatterns.contains { $0.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil }
    }

    static let outputPrefixes = [
        "swiftboot: ", "kernel: ", "init: ", "book: ", "(gdb) ", "check_exception ", "Triple fault", "qemu-system-x86_64: ",
        "KVM internal error", "Program Headers:", "stopped at 0x", "Breakpoint ", "Hardware assisted breakpoint",
    ]

    static let outputPatterns: [NSRegularExpression] = [
        #"^\[\s*\d+\.\d+\] "#,            // Linux's printk time stamps
        #"^\d+: v=[0-9a-f]{2} "#,         // QEMU's -d int
        #"^[0-9a-f]{16}[-:] ?[0-9a-f]{16}"#,  // QEMU's info mem and info tlb
        #"^0x[0-9a-f]+( \(physical[^)]*\))?: in "#,  // book where
        #"^\d{11}[iedp]\["#,              // Bochs's log
        #"^LOAD +0x[0-9a-f]+"#,           // llvm-readelf -l
    ].map { try! NSRegularExpression(pattern: $0) }
}

import BookKit
import Foundation
import Testing

/// W^X in the page tables the processor really uses, read from QEMU's
/// `info tlb` at two stops: in swiftboot just before the hand-off (its own
/// tables, chapter 6) and at the kernel's first instruction (the kernel's,
/// chapter 12). No page may be writable and executable by any address.
@Suite struct WriteXorExecuteTests {
    /// One line of `info tlb`: "VIRTUAL: PHYSICAL FLAGS", flags as
    /// X (execute-disable) G P D A C T U W, `-` where clear.
    struct Page {
        var virtual: UInt64
        var physical: UInt64
        var executable: Bool
        var writable: Bool
    }

    static func pages(in lines: ArraySlice<String>) -> [Page] {
        lines.compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0].hasSuffix(":"), fields[2].count == 9,
                  let virtual = UInt64(fields[0].dropLast(), radix: 16), let physical = UInt64(fields[1], radix: 16)
            else { return nil }
            return Page(virtual: virtual, physical: physical, executable: !fields[2].hasPrefix("X"), writable: fields[2].hasSuffix("W"))
        }
    }

    @Test func noPageIsWritableAndExecutableInSwiftbootsTablesOrTheKernels() throws {
        let state = try builtBook.get()
        let image = state.recipe.elf64
        let kernelEntry = "*0xffffffff81000000"  // chapter 12's transcript: the example kernel's entry
        let result = try runBook(
            ["debug", "--batch", "--break", "handoff_jump", "--break", kernelEntry, "--command", "monitor info tlb", "--timeout", "120"],
            in: state.book.root
        )
        #expect(result.status == 0, "\(result.output)")
        let output = result.output.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let stops = output.indices.filter { output[$0].hasPrefix("stopped at ") }
        try #require(stops.count == 2, "\(result.output)")
        let swiftboot = Self.pages(in: output[stops[0]..<stops[1]]), kernel = Self.pages(in: output[stops[1]...])
        // Thousands of pages each: the whole identity map is there.
        #expect(swiftboot.count > 2048 && kernel.count > 2048, "\(swiftboot.count) and \(kernel.count) pages")

        for (name, pages) in [("swiftboot's", swiftboot), ("the kernel's", kernel)] {
            let both = pages.filter { $0.executable && $0.writable }
            #expect(both.isEmpty, "writable and executable in \(name) tables: \(both.map { String(format: "0x%llx", $0.virtual) })")
        }

        // swiftboot's identity map executes only the boot code (the
        // headers, .boot.text, the hand-off page) and the Swift code's
        // physical copy.
        let imageStart = UInt64(try symbolAddress("__image_start", in: image))
        let bootData = UInt64(try symbolAddress("__boot_data_start", in: image))
        let textStart = UInt64(try symbolAddress("__text_start", in: image))
        let textEnd = UInt64(try symbolAddress("__text_end", in: image))
        let lowExecutable = swiftboot.filter { $0.executable && $0.virtual < 0x1_0000_0000 }.map(\.virtual)
        let allowed = Array(stride(from: imageStart, to: bootData, by: 4096)) + Array(stride(from: textStart, to: textEnd, by: 4096))
        #expect(lowExecutable == allowed, "\(lowExecutable.map { String(format: "0x%llx", $0) })")

        // The kernel's identity map executes exactly one page: the hand-off
        // trampoline's, which holds nothing else.
        let trampolinePage = UInt64(try symbolAddress("handoff_trampoline", in: image)) & ~0xFFF
        let kernelLow = kernel.filter { $0.executable && $0.virtual < 0x1_0000_0000 }.map(\.virtual)
        #expect(kernelLow == [trampolinePage], "\(kernelLow.map { String(format: "0x%llx", $0) })")
    }
}

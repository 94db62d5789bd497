import BookKit
import Foundation
import Testing

/// Output the chapters show outside transcripts (```` ```console
/// sample=NAME ````) is compared with real output by a test; `book check`
/// refuses output blocks that are neither transcripts nor samples.
@Suite struct SampleTests {
    /// Every sample of the book has a test that compares it by name, and
    /// every name a test compares is a sample of the book.
    @Test func everySampleIsComparedByATest() throws {
        let book = try Book.load(root: repositoryRoot)
        let samples = Set(book.chapters.flatMap { Sample.all(in: $0) }.map(\.name))
        #expect(!samples.isEmpty)
        let folder = repositoryRoot.appendingPathComponent("Tests/BootTests")
        var compared: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: #"sampleMismatch\(\s*named: "([^"]+)""#)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                compared.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(samples.subtracting(compared).isEmpty, "samples no test compares: \(samples.subtracting(compared).sorted())")
        #expect(compared.subtracting(samples).isEmpty, "tests compare samples the book lacks: \(compared.subtracting(samples).sorted())")
    }

    /// Chapter 0's example of a checker is exercise 6.2's checker.
    @Test func chapter0ShowsExercise62sChecker() throws {
        let book = try Book.load(root: repositoryRoot)
        let chapter = try #require(book.chapters.first { $0.number == 6 })
        let block = try #require(MarkdownParser.codeBlocks(in: chapter).first { $0.info.hasPrefix("exercise id=6.2") })
        let mismatch = try sampleMismatch(named: "checker-6.2", output: block.lines.joined(separator: "\n") + "\n")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Chapter 7: before chapter 7 gives the ELF64 no Multiboot1 header of
    /// its own, QEMU's -kernel refuses it.
    @Test func qemuRefusesTheELF64OfChapter6() throws {
        let book = try copyOfTheBook()
        let run = try runBook(["run", "--upto", "6", "--protocol", "pvh"], in: book.root)
        #expect(run.status == 1, "\(run.output)")
        let line = try #require(run.output.components(separatedBy: "\n").first { $0.hasPrefix("qemu-system-x86_64: ") }, "\(run.output)")
        let mismatch = try sampleMismatch(named: "qemu-refuses-the-elf64", output: line + "\n")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Chapter 11: the example kernel's program headers.
    @Test func chapter11ShowsTheKernelsProgramHeaders() throws {
        let state = try builtBook.get()
        let kernel = try #require(state.recipe.kernel)
        let output = try Command(Tool(name: "llvm-readelf", installHint: "it comes with the Swift 6.3 toolchain"), ["-l", kernel.path]).check()
        let headers = try #require(output.range(of: "\n\n Section to Segment mapping"), "\(output)")
        var listing = String(output[..<headers.lowerBound])
        while listing.hasPrefix("\n") { listing.removeFirst() }
        let mismatch = try sampleMismatch(named: "readelf-kernel", output: listing + "\n")
        #expect(mismatch == nil, "\(mismatch ?? "")\n\(output)")
    }

    /// Chapter 5: the line table of chapter 4's code names the chapter.
    @Test func chapter5ShowsTheLineTableOfChapter4() throws {
        let state = try builtChapterState(4)
        let output = try Command(Tool(name: "llvm-dwarfdump", installHint: "it comes with the Swift 6.3 toolchain"), ["--debug-line", state.recipe.elf64.path]).check()
        let mismatch = try sampleMismatch(named: "dwarfdump-line-table", output: output)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Chapter 3's picture of the image: its four segments, physical and
    /// virtual, as the program headers of chapter 3's image have them.
    @Test func chapter3ShowsTheSegmentsOfItsImage() throws {
        let state = try builtChapterState(3)
        let segments = try ELFImage(contentsOf: state.recipe.elf64).segments
        let names = ["boot code, data ...", "high .text", "high .rodata", "high .data, .bss"]
        try #require(segments.count == names.count, "\(segments)")
        var lines = ["physical (link time)             virtual"]
        for (segment, name) in zip(segments, names) {
            let physical = String(format: "0x%llx", segment.physicalAddress)
            let virtual = segment.virtualAddress == segment.physicalAddress
                ? physical.padding(toLength: 20, withPad: " ", startingAt: 0) + "(identity mapped)"
                : String(format: "0x%llx", segment.virtualAddress)
            lines.append(physical.padding(toLength: 10, withPad: " ", startingAt: 0) + name.padding(toLength: 23, withPad: " ", startingAt: 0) + virtual)
        }
        let mismatch = try sampleMismatch(named: "layout-after-chapter-3", output: lines.joined(separator: "\n") + "\n")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}

import BookKit
import Foundation
import Testing

/// Source maps end to end and the debugging verbs: compiler and assembler
/// errors at chapter lines, DWARF line tables naming the chapters, GDB
/// sessions in 32-bit and 64-bit code, the triple-fault triage, `book where`.
@Suite struct DebugTests {
    /// Inserts `line` after the line of `texts[name]` that `after` finds;
    /// returns the 1-based chapter line of the inserted line.
    static func insert(_ line: String, in texts: inout [String: String], chapter name: String, after: ([String]) -> Int) -> Int {
        var lines = texts[name]!.components(separatedBy: "\n")
        let index = after(lines) + 1
        lines.insert(line, at: index)
        texts[name] = lines.joined(separator: "\n")
        return index + 1
    }

    /// The last chapter defining the Swift entry, and the index of the
    /// opening brace of its body.
    static func swiftEntry(in texts: [String: String]) -> (name: String, brace: Int) {
        let name = texts.keys.sorted().last { texts[$0]!.contains("@_cdecl(\"swift_main\")") }!
        let lines = texts[name]!.components(separatedBy: "\n")
        let entry = lines.firstIndex { $0.contains("@_cdecl(\"swift_main\")") }!
        return (name, lines[entry...].firstIndex { $0.hasSuffix("{") }!)
    }

    @Test func aSwiftSyntaxErrorIsReportedAtItsChapterLineAndColumn() throws {
        var location = ""
        let book = try copyOfTheBook { texts in
            let (name, brace) = Self.swiftEntry(in: texts)
            let line = Self.insert("    let = 1", in: &texts, chapter: name) { _ in brace }
            location = "chapters/\(name):\(line):9"
        }
        let build = try runBook(["build"], in: book.root)
        #expect(build.status == 1)
        #expect(build.output.contains("\(location): error: expected pattern"), "\(build.output)")
    }

    @Test func anAssemblerErrorIsReportedAtItsChapterLineAndColumn() throws {
        var location = ""
        let book = try copyOfTheBook { texts in
            // The last block of an assembly file in the book: no later
            // chapter can replace it.
            let name = texts.keys.sorted().last { texts[$0]!.contains("```asm file=") }!
            let line = Self.insert("        movq    %rax, %rsp, %rbx", in: &texts, chapter: name) { lines in
                lines.lastIndex { $0.hasPrefix("```asm file=") }!
            }
            location = "chapters/\(name):\(line):29"
        }
        let build = try runBook(["build"], in: book.root)
        #expect(build.status == 1)
        #expect(build.output.contains("\(location): error: invalid operand for instruction\n        movq    %rax, %rsp, %rbx\n                            ^~~~\n"), "\(build.output)")
    }

    @Test func theDwarfLineTableNamesTheChapters() throws {
        let state = try builtBook.get()
        let dump = try Command(.dwarfdump, ["--debug-line", state.recipe.elf64.path]).check()
        let names = Set(dump.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("name: \""), trimmed.hasSuffix(".md\"") else { return nil }
            return String(trimmed.dropFirst("name: \"".count).dropLast())
        })
        let chapters = Set(state.book.chapters.map { ($0.path as NSString).lastPathComponent })
        #expect(names.isSubset(of: chapters), "\(names)")
        // Chapter 1 (the 32-bit entry), chapter 3 (long mode) and chapter 4 (the first Swift) at least.
        #expect(names.contains { $0.hasPrefix("01-") } && names.contains { $0.hasPrefix("03-") } && names.contains { $0.hasPrefix("04-") }, "\(names)")
        #expect(dump.contains("include_directories[  1] = \"chapters\""))
        // The line table that GDB and the triage use agrees.
        let table = try LineTable(image: state.recipe.elf64)
        #expect(Set(table.files.filter { $0.hasSuffix(".md") }.map { ($0 as NSString).lastPathComponent }) == names)
    }

    @Test func aBatchSessionStopsAtChapterLinesInThe32BitEntryAndInSwift() throws {
        let state = try builtBook.get()
        let image = state.recipe.elf64
        // The 32-bit entry: the ELF entry point's chapter line.
        let entry = try #require(try AddressLookup(image: image).lookUp(try ELFImage(contentsOf: image).entry).location)
        // The Swift entry: the line declaring the function after @_cdecl("swift_main").
        var texts: [String: String] = [:]
        for chapter in state.book.chapters { texts[(chapter.path as NSString).lastPathComponent] = chapter.text }
        let (name, brace) = Self.swiftEntry(in: texts)
        let lines = texts[name]!.components(separatedBy: "\n")
        let declaration = lines[...brace].lastIndex { $0.contains("func ") }!
        let swiftLine = "chapters/\(name):\(declaration + 1)"

        let result = try runBook(
            ["debug", "--batch", "--break", "\(entry.file):\(entry.line)", "--break", swiftLine,
             "--print", "eax", "--print", "rdi", "--timeout", "60"],
            in: state.book.root
        )
        #expect(result.status == 0, "\(result.output)")
        let output = result.output.components(separatedBy: "\n")
        let stops = output.indices.filter { output[$0].hasPrefix("stopped at ") }
        try #require(stops.count == 2, "\(result.output)")
        let first = output[stops[0]..<stops[1]], second = output[stops[1]...]
        #expect(output[stops[0]].contains(" at \(entry.file):\(entry.line)"), "\(result.output)")
        #expect(first.contains("  32-bit protected mode, paging off"), "\(result.output)")
        #expect(first.contains("  eax = 0x2badb002"), "\(result.output)")
        // GDB puts a breakpoint on a function's first line after the
        // prologue: the first statement of the body, maybe with a function
        // inlined into it (then the outermost frame is the entry's line).
        let swiftStop = try #require(output[stops[1]].range(of: " at chapters/\(name):", options: .backwards), "\(result.output)")
        let stoppedLine = Int(output[stops[1]][swiftStop.upperBound...].prefix { $0.isNumber }) ?? 0
        #expect((declaration + 1)...(declaration + 40) ~= stoppedLine, "\(result.output)")
        #expect(second.contains("  long mode, paging on"), "\(result.output)")
        #expect(second.contains("  rdi = 0x2badb002"), "\(result.output)")
    }

    @Test func aTripleFaultGetsATriageHintAtTheFaultingChapterLine() throws {
        var location = ""
        let book = try copyOfTheBook { texts in
            // Chapter 4: the first Swift, and no IDT yet.
            let name = chapterName(4, in: texts)
            let line = Self.insert("    UnsafeMutablePointer<UInt64>(bitPattern: 0x10_0000_0000)!.pointee = 1", in: &texts, chapter: name) { lines in
                let entry = lines.firstIndex { $0.contains("@_cdecl(\"swift_main\")") }!
                return lines[entry...].firstIndex { $0.hasSuffix("{") }!
            }
            location = "chapters/\(name):\(line):"
        }
        let run = try runBook(["run", "--upto", "4", "--timeout", "20"], in: book.root)
        #expect(run.status == 1)
        #expect(run.output.contains("without an exit value from swiftboot"), "\(run.output)")
        #expect(run.output.contains("triage: the last exceptions, oldest first:"), "\(run.output)")
        #expect(run.output.contains("#PF page fault (v=0e, error code 0x2)"), "\(run.output)")
        #expect(run.output.contains("CR2=0x1000000000: page not present, write"), "\(run.output)")
        #expect(run.output.contains("triage: then a triple fault"), "\(run.output)")
        #expect(run.output.contains("\n\(location)"), "\(run.output)")
        #expect(run.output.contains("note: the first exception of the chain comes from here"), "\(run.output)")
        // Chapter 5's walkthrough of this very fault, addresses and line
        // numbers left open, is what book run printed.
        let mismatch = try sampleMismatch(named: "triple-fault-triage", output: run.output)
        #expect(mismatch == nil, "\(mismatch ?? "")")
        // And the end of QEMU's log that chapter 5 walks through.
        let log = try String(contentsOf: book.root.appendingPathComponent("build/states/04/build/qemu-int.log"), encoding: .utf8)
        let chain = try #require(log.range(of: "check_exception old: 0xffffffff new 0xe", options: .backwards), "\(log)")
        let logMismatch = try sampleMismatch(named: "triple-fault-log", output: String(log[chain.lowerBound...]))
        #expect(logMismatch == nil, "\(logMismatch ?? "")")
    }

    @Test func whereMapsVirtualAndPhysicalAddressesToChapterLines() throws {
        let state = try builtBook.get()
        let image = state.recipe.elf64
        let elf = try ELFImage(contentsOf: image)
        // The entry point: the first instruction after the label in its chapter.
        let entry = try runBook(["where", String(format: "0x%llx", elf.entry)], in: state.book.root)
        #expect(entry.status == 0, "\(entry.output)")
        let printed = try #require(entry.output.components(separatedBy: "\n").first { $0.hasPrefix("  in multiboot_entry at chapters/") })
        let place = printed.dropFirst("  in multiboot_entry at ".count).split(separator: ":")
        let chapter = try #require(state.book.chapters.first { $0.path == place[0] })
        let lines = chapter.text.components(separatedBy: "\n")
        let label = try #require(lines.firstIndex { $0.hasPrefix("multiboot_entry:") })
        let firstInstruction = lines[(label + 1)...].firstIndex {
            let code = $0.trimmingCharacters(in: .whitespaces)
            return !code.isEmpty && !code.hasPrefix("//") && !code.hasPrefix("#")
        }!
        #expect(Int(place[1]) == firstInstruction + 1, "\(entry.output)")

        // A Swift function by its physical (load) address: p_paddr -> p_vaddr.
        let symbol = try symbolAddress64("swift_main", in: image)
        let segment = try #require(elf.segment(containingVirtual: symbol))
        let physical = symbol - segment.virtualAddress + segment.physicalAddress
        let swift = try runBook(["where", String(format: "0x%llx", physical)], in: state.book.root)
        #expect(swift.output.contains(String(format: "0x%llx (physical; virtual 0x%llx): in the r-x segment", physical, symbol)), "\(swift.output)")
        #expect(swift.output.contains("  in swift_main"), "\(swift.output)")
    }

    @Test(arguments: chaptersWithCommandTranscripts)
    func aCommandTranscriptShowsWhatItsCommandPrints(_ number: Int) throws {
        let book = try copyOfTheBook()
        let chapter = try #require(book.chapters.first { $0.number == number })
        for transcript in Transcript.all(in: chapter) {
            guard var arguments = transcript.command else { continue }
            if !arguments.contains("--upto") { arguments += ["--upto", String(number)] }
            let result = try runBookStdout(arguments, in: book.root)
            #expect(result.status == 0, "\(result.output)")
            let mismatch = transcript.mismatch(with: result.output)
            #expect(mismatch == nil, "\(mismatch ?? "")\n\(result.output)")
        }
    }
}

/// The chapters of the real book with a `transcript=command` block.
let chaptersWithCommandTranscripts: [Int] = {
    guard let book = try? Book.load(root: repositoryRoot) else { return [] }
    return book.chapters.filter { Transcript.all(in: $0).contains { $0.command != nil } }.map(\.number)
}()

/// Runs `book ARGS` in `folder`; stdout only (build warnings and notes go
/// to stderr, which is discarded).
func runBookStdout(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try bookExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The 64-bit address of `symbol` in an ELF file, from llvm-nm.
func symbolAddress64(_ symbol: String, in image: URL) throws -> UInt64 {
    let output = try Command(.nm, [image.path]).check()
    for line in output.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if fields.count == 3, fields[2] == symbol, let address = UInt64(fields[0], radix: 16) { return address }
    }
    throw DiagnosticError([.error("no symbol \(symbol) in \(image.path)", at: nil)])
}

/// For a failed boot test: what QEMU's exception log says (after a triple
/// fault or a timeout), or nothing.
func triageHint(for result: QemuBoot.Result, of state: CodeState) -> String {
    guard !result.succeeded, FaultTriage.isNeeded(for: result) else { return "" }
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("book-triage-\(UUID().uuidString).log")
    guard let triage = try? FaultTriage.run(state.boot(timeout: 20), image: state.recipe.elf64, log: log) else { return "" }
    return "\n" + triage.description
}

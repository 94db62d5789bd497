import BookKit
import Foundation
import Testing

/// The QEMU plugin that bench/run uses to count swiftboot's instructions
/// (bench/insn-count/insn_count.c) builds, loads, and counts a Multiboot1
/// boot from swiftboot's entry to the kernel's: it starts at the entry,
/// stops at the kernel's first instruction, and counts the same number in
/// two boots. No figure is asserted: BENCHMARKS.md records them.
@Suite(.enabled(if: qemuLoadsPlugins(), "this QEMU has no -plugin option (built without TCG plugins)"))
struct InstructionCountTests {
    /// One line of the plugin's log, parsed.
    struct Count: Equatable {
        var outcome: String  // "stopped", "not-started", "not-stopped"
        var entryExecuted: UInt64
        var entryRepeats: UInt64
        var restExecuted: UInt64
        var restRepeats: UInt64
    }

    /// The plugin, compiled once into a fresh folder with the toolchain's clang.
    static let plugin: Result<URL, Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("insn-count-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let library = folder.appendingPathComponent("insn_count.so")
        let source = repositoryRoot.appendingPathComponent("bench/insn-count/insn_count.c")
        try Command(.clang, ["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-fvisibility=hidden",
                             "-o", library.path, source.path]).check()
        return library
    }

    /// Boots the built book through Multiboot1 with the plugin counting
    /// from `start` to `stop`.
    func count(from start: UInt64, to stop: UInt64) throws -> (Count, QemuBoot.Result) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("insn-count-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var boot = try builtBook.get().boot(timeout: 60)
        boot.extraArguments = [
            "-plugin", "file=\(try Self.plugin.get().path),start=0x\(String(start, radix: 16)),stop=0x\(String(stop, radix: 16))",
            "-d", "plugin", "-D", log.path,
        ]
        let result = try boot.run()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("insn_count: ") },
                                "no count in the plugin's log\n\(result.summary)\n\(result.output)")
        let fields = line.split(separator: " ")
        func value(_ name: String) throws -> UInt64 {
            let field = try #require(fields.first { $0.hasPrefix("\(name)=") }, "no \(name) in \(line)")
            return try #require(UInt64(field.dropFirst(name.count + 1)), "\(line)")
        }
        let count = Count(outcome: String(fields[1]), entryExecuted: try value("entry_executed"),
                          entryRepeats: try value("entry_repeats"), restExecuted: try value("rest_executed"),
                          restRepeats: try value("rest_repeats"))
        return (count, result)
    }

    /// e_entry of an ELF file (32- or 64-bit, little-endian).
    func entry(of image: URL) throws -> UInt64 {
        let bytes = [UInt8](try Data(contentsOf: image))
        try #require(bytes.count >= 32 && bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46], "\(image.path): not ELF")
        let size = bytes[4] == 1 ? 4 : 8
        return bytes[24..<24 + size].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    @Test func countsFromSwiftbootsEntryToTheKernelsAndAgainTheSame() throws {
        let state = try builtBook.get()
        let start = try entry(of: state.recipe.elf32)
        let stop = try entry(of: try #require(state.recipe.kernel, "no example kernel"))
        let (first, result) = try count(from: start, to: stop)
        #expect(result.succeeded, "\(result.summary)\n\(result.output)")
        #expect(first.outcome == "stopped", "the kernel's entry was never reached: \(first)")
        // Both phases ran: the entry code below the high half, then the
        // Swift code in it; rep string instructions (memset's rep stosb)
        // were seen iterating.
        #expect(first.entryExecuted > first.entryRepeats, "\(first)")
        #expect(first.restExecuted > first.restRepeats, "\(first)")
        #expect(first.entryRepeats + first.restRepeats > 0, "no rep string iterations: \(first)")
        let (second, _) = try count(from: start, to: stop)
        #expect(second == first, "two boots counted differently")
    }

    @Test func anAddressNeverExecutedNeitherStartsNorStops() throws {
        let state = try builtBook.get()
        let start = try entry(of: state.recipe.elf32)
        // Not an instruction's address in swiftboot or the kernel.
        let nowhere: UInt64 = 0xdead_0000
        let (neverStopped, _) = try count(from: start, to: nowhere)
        #expect(neverStopped.outcome == "not-stopped", "\(neverStopped)")
        #expect(neverStopped.restExecuted > 0, "\(neverStopped)")
        let (neverStarted, _) = try count(from: nowhere, to: start)
        #expect(neverStarted == Count(outcome: "not-started", entryExecuted: 0, entryRepeats: 0,
                                      restExecuted: 0, restRepeats: 0))
    }
}

/// Whether qemu-system-x86_64 has the -plugin option (Debian's does; a QEMU
/// configured with --disable-plugins does not).
func qemuLoadsPlugins() -> Bool {
    guard let result = try? Command(.qemu, ["-help"]).run(timeout: 30) else { return false }
    return result.output.contains("-plugin")
}

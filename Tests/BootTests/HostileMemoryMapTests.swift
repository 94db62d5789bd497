import BookKit
import Foundation
import Testing

/// swiftboot booted with a memory map that real firmware can produce and
/// no QEMU loader does: duplicate entries, overlapping usable entries, a
/// reserved range inside usable RAM, usable RAM claimed over a reserved
/// range, an empty entry. The test is the loader: QEMU loads swiftboot and
/// the kernel, stops at swiftboot's first instruction (`-S` and its GDB
/// stub), and GDB writes the hostile map, and for Multiboot2 a whole
/// information structure, before swiftboot reads anything.
@Suite struct HostileMemoryMapTests {
    struct Region {
        var base: UInt64
        var length: UInt64
        var usable: Bool
        var end: UInt64 { base + length }
    }

    /// QEMU's map of a 128 MiB PC, made hostile.
    static let map = [
        Region(base: 0, length: 0x9_FC00, usable: true),
        Region(base: 0, length: 0x9_FC00, usable: true),                   // a duplicate
        Region(base: 0xF_0000, length: 0x1_0000, usable: false),
        Region(base: 0x10_0000, length: 0x7FE_0000 - 0x10_0000, usable: true),
        Region(base: 0x10_0000, length: 0x1F0_0000, usable: true),         // overlaps the one above
        Region(base: 0x10_0000, length: 0x8_0000, usable: false),          // reserved inside usable: where the kernel would go
        Region(base: 0x30_0000, length: 0, usable: true),                  // empty
        Region(base: 0x7FE_0000, length: 0x2_0000, usable: false),
        Region(base: 0x7F0_0000, length: 0x10_0000, usable: true),         // usable over the reserved one above
        Region(base: 0xFFFC_0000, length: 0x4_0000, usable: false),
    ]
    static let reserved = map.filter { !$0.usable && $0.length > 0 }
    /// Where the crafted structures go: free low memory that neither QEMU's
    /// loaders nor swiftboot use.
    static let scratch: UInt64 = 0x8_0000

    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// Multiboot1 mmap entries: size (20, not counting itself), base, length, type.
    static var multiboot1Entries: [UInt8] {
        map.flatMap { bytes(UInt32(20)) + bytes($0.base) + bytes($0.length) + bytes(UInt32($0.usable ? 1 : 2)) }
    }

    /// 24-byte entries of base, length, type, reserved: PVH's
    /// hvm_memmap_table_entry, and the Multiboot2 memory map tag's.
    static var entriesOf24Bytes: [UInt8] {
        map.flatMap { bytes($0.base) + bytes($0.length) + bytes(UInt32($0.usable ? 1 : 2)) + bytes(UInt32(0)) }
    }

    /// A Multiboot2 information structure: a command line, one module
    /// (its addresses patched in from QEMU's Multiboot1 module list), the
    /// memory map. Returns the bytes and the offset of the module tag.
    static var multiboot2Information: (bytes: [UInt8], moduleTag: Int) {
        func tag(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            var tag = bytes(type) + bytes(UInt32(8 + body.count)) + body
            while tag.count % 8 != 0 { tag.append(0) }
            return tag
        }
        let commandLine = tag(1, Array("hostile".utf8) + [0])
        let module = tag(3, bytes(UInt32(0)) + bytes(UInt32(0)) + Array("kernel.elf".utf8) + [0])
        let memoryMap = tag(6, bytes(UInt32(24)) + bytes(UInt32(0)) + entriesOf24Bytes)
        let tags = commandLine + module + memoryMap + tag(0, [])
        return (bytes(UInt32(8 + tags.count)) + bytes(UInt32(0)) + tags, 8 + commandLine.count)
    }

    enum Way: String, CaseIterable {
        case multiboot1, multiboot2, pvh
        var name: String { ["multiboot1": "Multiboot1", "multiboot2": "Multiboot2", "pvh": "PVH"][rawValue]! }
    }

    @Test(arguments: Way.allCases)
    func theKernelAvoidsEveryReservedByte(_ way: Way) throws {
        let state = try builtBook.get()
        let image = state.recipe.elf64
        var boot = try state.boot(using: way == .pvh ? .pvh : .multiboot1, memory: "128M", timeout: 60)
        var blob: [UInt8]
        var commands: [String]
        let scratch = String(format: "0x%llx", Self.scratch)
        switch way {
        case .multiboot1:
            blob = Self.multiboot1Entries
            commands = ["set *(unsigned int*)($ebx+44) = \(blob.count)", "set *(unsigned int*)($ebx+48) = \(scratch)"]  // mmap_length, mmap_addr
        case .pvh:
            blob = Self.entriesOf24Bytes
            commands = ["set *(unsigned long long*)($ebx+40) = \(scratch)", "set *(unsigned int*)($ebx+48) = \(Self.map.count)"]  // memmap_paddr, memmap_entries
        case .multiboot2:
            let information = Self.multiboot2Information
            blob = information.bytes
            let module = "\(scratch)+\(information.moduleTag)"
            commands = [
                // mod_start and mod_end from QEMU's Multiboot1 module list (mods_addr at +24).
                "set *(unsigned int*)(\(module)+8) = *(unsigned int*)(*(unsigned int*)($ebx+24))",
                "set *(unsigned int*)(\(module)+12) = *(unsigned int*)(*(unsigned int*)($ebx+24)+4)",
                "set $eax = 0x36d76289", "set $ebx = \(scratch)",  // the Multiboot2 magic and information
            ]
        }
        let entry = UInt64(try symbolAddress(way == .pvh ? "pvh_entry" : "multiboot_entry", in: image))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftboot-hostile-\(UUID().uuidString).bin")
        try Data(blob).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let port = try DebugSession.freePort()
        boot.extraArguments += ["-gdb", "tcp:127.0.0.1:\(port)", "-S"]
        let gdbLog = FileManager.default.temporaryDirectory.appendingPathComponent("swiftboot-hostile-gdb-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: gdbLog) }
        let gdb = Process()
        gdb.executableURL = try Tool.gdb.locate()
        gdb.arguments = ["-q", "-nx", "-batch", "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:\(port)",
                         "-ex", String(format: "hbreak *0x%llx", entry), "-ex", "continue",
                         "-ex", "restore \(file.path) binary \(scratch)"]
            + commands.flatMap { ["-ex", $0] } + ["-ex", "delete", "-ex", "detach"]
        try Data().write(to: gdbLog)
        let log = try FileHandle(forWritingTo: gdbLog)
        gdb.standardOutput = log
        gdb.standardError = log
        try gdb.run()  // it retries until QEMU listens
        let result = try boot.run()
        gdb.waitUntilExit()
        try log.close()
        let gdbOutput = (try? String(contentsOf: gdbLog, encoding: .utf8)) ?? ""
        let context = "\(way): \(result.summary)\n\(result.output)\nGDB:\n\(gdbOutput)"
        try #require(gdbOutput.contains("detached"), "\(context)")

        #expect(result.output.contains("swiftboot: started by \(way.name), load offset 0x"), "\(context)")
        #expect(result.output.contains("swiftboot: memory map, \(Self.map.count) regions:\n"), "\(context)")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(context)")
        #expect(result.qemuStatus == 33, "\(context)")

        // The hand-off map, as the kernel printed it: sorted, no overlaps.
        let handedOver = result.output.split(separator: "\n").compactMap { line -> (base: UInt64, end: UInt64, kind: String)? in
            let fields = line.split(separator: " ")
            guard line.hasPrefix("kernel:   0x"), fields.count == 3, !line.contains("\""),
                  case let bounds = fields[1].split(separator: "-"), bounds.count == 2,
                  let base = UInt64(bounds[0].dropFirst(2), radix: 16), let end = UInt64(bounds[1].dropFirst(2), radix: 16)
            else { return nil }
            return (base, end, String(fields[2]))
        }
        try #require(handedOver.count > 5, "\(context)")
        for (earlier, later) in zip(handedOver, handedOver.dropFirst()) {
            #expect(earlier.end <= later.base, "regions overlap or are out of order: \(earlier) \(later)")
        }
        // Everything swiftboot placed lies in usable RAM and outside every
        // reserved range; every reserved range is still reserved.
        let usable = Self.map.filter(\.usable)
        for region in handedOver where ["kernel", "bootloader", "module"].contains(region.kind) {
            #expect(usable.contains { $0.base <= region.base && region.end <= $0.end }, "\(region) is not usable RAM\n\(context)")
            #expect(!Self.reserved.contains { $0.base < region.end && region.base < $0.end }, "\(region) overlaps reserved memory\n\(context)")
        }
        for range in Self.reserved {
            let covering = handedOver.filter { $0.base < range.end && range.base < $0.end }
            #expect(!covering.isEmpty && covering.allSatisfy { $0.kind == "reserved" }, "0x\(String(range.base, radix: 16)): \(covering)\n\(context)")
        }
        // The kernel's code starts right after the reserved hole, where
        // the allocator's first free page now is.
        #expect(result.output.contains(" r-x at 0x0000000000180000\n"), "\(context)")
    }
}

import SwiftBootCore
import Testing

@Suite struct Multiboot1Tests {
    /// An information block at 0x100000 with a command line, two modules
    /// and a two-entry memory map.
    func crafted() -> FakeMemory {
        let memory = FakeMemory()
        let info: UInt64 = 0x10_0000
        memory.write(UInt32(1 << 2 | 1 << 3 | 1 << 6), at: info)         // flags: cmdline, mods, mmap
        memory.write(UInt32(0x10_0200), at: info + 16)                   // cmdline
        memory.write(string: "console=debugcon", at: 0x10_0200)
        memory.write(UInt32(2), at: info + 20)                           // mods_count
        memory.write(UInt32(0x10_0300), at: info + 24)                   // mods_addr
        for (index, (start, end, name)) in [(0x20_0000, 0x20_1000, "kernel.elf"), (0x30_0000, 0x30_0010, "")].enumerated() {
            let entry = UInt64(0x10_0300 + index * 16)
            memory.write(UInt32(start), at: entry)
            memory.write(UInt32(end), at: entry + 4)
            if !name.isEmpty {
                memory.write(UInt32(0x10_0400), at: entry + 8)
                memory.write(string: name, at: 0x10_0400)
            }
        }
        memory.write(UInt32(48), at: info + 44)                          // mmap_length: two 24-byte entries
        memory.write(UInt32(0x10_0500), at: info + 48)
        for (index, (base, length, type)) in [(UInt64(0), UInt64(0x9_FC00), UInt32(1)), (0x10_0000, 0x7EE_0000, 1)].enumerated() {
            let entry = UInt64(0x10_0500 + index * 24)
            memory.write(UInt32(20), at: entry)
            memory.write(base, at: entry + 4)
            memory.write(length, at: entry + 12)
            memory.write(type, at: entry + 20)
        }
        return memory
    }

    @Test func readsCommandLineModulesAndMemoryMap() throws {
        let info = try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: crafted())
        #expect(info == BootInfo(
            bootProtocol: .multiboot1,
            memoryMap: [MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable), MemoryRegion(base: 0x10_0000, length: 0x7EE_0000, kind: .usable)],
            commandLine: [UInt8]("console=debugcon"),
            modules: [BootModule(start: 0x20_0000, end: 0x20_1000, commandLine: [UInt8]("kernel.elf")), BootModule(start: 0x30_0000, end: 0x30_0010, commandLine: [])]
        ))
    }

    @Test func fallsBackToMemLowerAndUpper() throws {
        let memory = FakeMemory()
        memory.write(UInt32(1), at: 0x10_0000)
        memory.write(UInt32(639), at: 0x10_0004)
        memory.write(UInt32(130_048), at: 0x10_0008)
        let info = try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: memory)
        #expect(info.memoryMap == [MemoryRegion(base: 0, length: 639 * 1024, kind: .usable), MemoryRegion(base: 0x10_0000, length: 130_048 * 1024, kind: .usable)])
    }

    @Test func rejectsACommandLineThatIsTooLong() {
        let memory = crafted()
        memory.write(string: String(repeating: "x", count: BootInfo.maximumCommandLine + 1), at: 0x10_1000)
        memory.write(UInt32(0x10_1000), at: 0x10_0000 + 16)
        #expect(throws: BootInfoError.commandLineTooLong(address: 0x10_1000)) {
            try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: memory)
        }
    }

    @Test func rejectsPointersOutsideMemory() {
        let memory = crafted()
        memory.write(UInt32(0x4000_0000), at: 0x10_0000 + 24)
        #expect(throws: BootInfoError.outOfRange(.moduleList, address: 0x4000_0000)) {
            try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: memory)
        }
        #expect(throws: BootInfoError.outOfRange(.multiboot1Info, address: 0x10)) {
            try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10, from: memory)
        }
    }

    @Test func rejectsAMalformedMemoryMapAndTooManyModules() {
        let memory = crafted()
        memory.write(UInt32(8), at: 0x10_0500)
        #expect(throws: BootInfoError.malformed(.memoryMap, address: 0x10_0500)) {
            try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: memory)
        }
        let many = crafted()
        many.write(UInt32(BootInfo.maximumModules + 1), at: 0x10_0000 + 20)
        #expect(throws: BootInfoError.tooMany(.moduleList, count: BootInfo.maximumModules + 1)) {
            try BootInfo.read(magic: BootMagic.multiboot1, address: 0x10_0000, from: many)
        }
    }

    @Test func rejectsAnUnknownMagic() {
        #expect(throws: BootInfoError.unknownMagic(0x1234_5678)) {
            try BootInfo.read(magic: 0x1234_5678, address: 0x10_0000, from: crafted())
        }
    }
}

/// Writes Multiboot2 tags one after another, 8-byte aligned.
struct TagWriter {
    let memory: FakeMemory
    let start: UInt64
    var cursor: UInt64

    init(_ memory: FakeMemory, at start: UInt64) {
        self.memory = memory
        self.start = start
        cursor = start + 8
    }

    mutating func tag(_ type: UInt32, _ payload: [UInt8]) {
        memory.write(type, at: cursor)
        memory.write(UInt32(8 + payload.count), at: cursor + 4)
        memory.write(payload, at: cursor + 8)
        cursor += (UInt64(8 + payload.count) + 7) & ~7
    }

    mutating func finish() {
        tag(0, [])
        memory.write(UInt32(cursor - start), at: start)
    }
}

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

@Suite struct Multiboot2Tests {
    func crafted(commandLine: String = "quiet") -> FakeMemory {
        let memory = FakeMemory()
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(1, [UInt8](commandLine) + [0])
        tags.tag(3, le(UInt32(0x40_0000)) + le(UInt32(0x40_2000)) + [UInt8]("kernel") + [0])
        tags.tag(6, le(UInt32(24)) + le(UInt32(0))
            + le(UInt64(0)) + le(UInt64(0x9_FC00)) + le(UInt32(1)) + le(UInt32(0))
            + le(UInt64(0xF_0000)) + le(UInt64(0x1_0000)) + le(UInt32(2)) + le(UInt32(0)))
        tags.tag(21, le(UInt32(0x100_0000)))
        tags.tag(8, le(UInt64(0xFD00_0000)) + le(UInt32(4096)) + le(UInt32(1024)) + le(UInt32(768)) + [32, 1, 0, 0])
        tags.tag(99, [1, 2, 3])  // unknown tags are skipped
        tags.finish()
        return memory
    }

    /// A loader may boot us without the requested memory map: the basic
    /// memory tag's two sizes stand in for it, and never override it.
    @Test func fallsBackToTheBasicMemoryTagWithoutAMemoryMap() throws {
        let memory = FakeMemory()
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(4, le(UInt32(639)) + le(UInt32(130_048)))
        tags.finish()
        #expect(try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory).memoryMap == [
            MemoryRegion(base: 0, length: 639 * 1024, kind: .usable), MemoryRegion(base: 0x10_0000, length: 130_048 * 1024, kind: .usable),
        ])
        let both = crafted()  // has a memory map tag; add a basic one after it
        var more = TagWriter(both, at: 0x10_0000)
        more.cursor = 0x10_0000 + UInt64(both.load(UInt32.self, at: 0x10_0000)!) - 8  // over the end tag
        more.tag(4, le(UInt32(1)) + le(UInt32(1)))
        more.finish()
        #expect(try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: both).memoryMap.count == 2)
        #expect(try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: both).memoryMap[1].kind == .reserved)
    }

    @Test func readsTheTagsWeUse() throws {
        let info = try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: crafted())
        #expect(info == BootInfo(
            bootProtocol: .multiboot2,
            memoryMap: [MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable), MemoryRegion(base: 0xF_0000, length: 0x1_0000, kind: .reserved)],
            commandLine: [UInt8]("quiet"),
            modules: [BootModule(start: 0x40_0000, end: 0x40_2000, commandLine: [UInt8]("kernel"))],
            framebuffer: Framebuffer(address: 0xFD00_0000, pitch: 4096, width: 1024, height: 768, bitsPerPixel: 32, type: 1),
            reportedLoadBase: 0x100_0000
        ))
    }

    @Test func rejectsAMissingEndTag() {
        let memory = FakeMemory()
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(1, [UInt8]("a") + [0])
        memory.write(UInt32(tags.cursor - 0x10_0000), at: 0x10_0000)  // total size without an end tag
        #expect(throws: BootInfoError.malformed(.multiboot2Info, address: 0x10_0000)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory)
        }
    }

    @Test func rejectsATagThatOverrunsTheTotalSize() {
        let memory = crafted()
        memory.write(UInt32(0x1000), at: 0x10_0000 + 12)  // the command-line tag claims 4 KiB
        #expect(throws: BootInfoError.malformed(.multiboot2Tag, address: 0x10_0008)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory)
        }
    }

    @Test func rejectsACommandLineThatIsTooLong() {
        #expect(throws: BootInfoError.commandLineTooLong(address: 0x10_0010)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000,
                              from: crafted(commandLine: String(repeating: "y", count: 2000)))
        }
    }
}

@Suite struct PVHTests {
    func crafted(version: UInt32 = 1) -> FakeMemory {
        let memory = FakeMemory()
        let info: UInt64 = 0x10_0000
        memory.write(BootMagic.pvh, at: info)
        memory.write(version, at: info + 4)
        memory.write(UInt32(1), at: info + 12)           // nr_modules
        memory.write(UInt64(0x10_0100), at: info + 16)   // modlist_paddr
        memory.write(UInt64(0x10_0200), at: info + 24)   // cmdline_paddr
        memory.write(UInt64(0x10_0300), at: info + 40)   // memmap_paddr
        memory.write(UInt32(2), at: info + 48)           // memmap_entries
        memory.write(UInt64(0x50_0000), at: 0x10_0100)
        memory.write(UInt64(0x3000), at: 0x10_0108)
        memory.write(UInt64(0x10_0280), at: 0x10_0110)
        memory.write(string: "kernel arg", at: 0x10_0280)
        memory.write(string: "pvh=yes", at: 0x10_0200)
        for (index, (base, size, type)) in [(UInt64(0), UInt64(0xA_0000), UInt32(1)), (0x10_0000, 0x3F0_0000, 1)].enumerated() {
            let entry = 0x10_0300 + UInt64(index * 24)
            memory.write(base, at: entry)
            memory.write(size, at: entry + 8)
            memory.write(type, at: entry + 16)
        }
        return memory
    }

    @Test func readsModulesCommandLineAndMemoryMap() throws {
        let info = try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: crafted())
        #expect(info == BootInfo(
            bootProtocol: .pvh,
            memoryMap: [MemoryRegion(base: 0, length: 0xA_0000, kind: .usable), MemoryRegion(base: 0x10_0000, length: 0x3F0_0000, kind: .usable)],
            commandLine: [UInt8]("pvh=yes"),
            modules: [BootModule(start: 0x50_0000, end: 0x50_3000, commandLine: [UInt8]("kernel arg"))]
        ))
    }

    @Test func versionZeroHasNoMemoryMap() throws {
        #expect(try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: crafted(version: 0)).memoryMap == [])
    }

    /// A module whose size runs past the end of the address space: its
    /// end wrapped below its start, and the module's size then trapped.
    @Test func rejectsAModuleSizeThatWraps() {
        let memory = crafted()
        memory.write(UInt64.max - 0x1000, at: 0x10_0108)
        #expect(throws: BootInfoError.malformed(.moduleList, address: 0x10_0100)) {
            try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: memory)
        }
    }

    @Test func rejectsAStartInfoWithoutItsMagic() {
        let memory = crafted()
        memory.write(UInt32(0xDEAD_BEEF), at: 0x10_0000)
        #expect(throws: BootInfoError.unknownMagic(0xDEAD_BEEF)) {
            try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: memory)
        }
    }
}

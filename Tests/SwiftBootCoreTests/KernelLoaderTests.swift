import SwiftBootCore
import Testing

/// The loader writes: test memory is writable.
extension FakeMemory: WritableMemory {
    func mutableBytes(at address: UInt64, count: Int) -> UnsafeMutableRawBufferPointer? {
        guard let view = bytes(at: address, count: count) else { return nil }
        return UnsafeMutableRawBufferPointer(mutating: view)
    }
}

/// A page-table memory for tests: tables are dictionaries.
struct FakeTables: PageTableMemory {
    var tables: [UInt64: [Int: UInt64]] = [:]
    var next: UInt64 = 0x20_0000
    var limit = 64

    mutating func allocateTable() -> UInt64? {
        guard tables.count < limit else { return nil }
        defer { next += 4096 }
        tables[next] = [:]
        return next
    }

    func entry(_ table: UInt64, _ index: Int) -> UInt64 { tables[table]?[index] ?? 0 }

    mutating func setEntry(_ table: UInt64, _ index: Int, _ value: UInt64) { tables[table]![index] = value }
}

@Suite struct KernelLoaderTests {
    let loaderStart: UInt64 = 0x20_0000
    let loaderEnd: UInt64 = 0x21_0000

    /// 16 MiB of memory, usable from 1 MiB on, with a two-segment kernel
    /// (code, and data with a .bss tail) as the first module at 8 MiB.
    func machine(kernel: [UInt8]? = nil, usableEnd: UInt64 = 0x100_0000) -> (FakeMemory, BootInfo) {
        let memory = FakeMemory(base: 0, size: 0x100_0000)
        var elf = ELFBuilder()
        elf.headers.append(.init(flags: 6, offset: 0x1100, address: 0xFFFF_FFFF_C000_1100, fileSize: 0x10, memorySize: 0x3000))
        var file = kernel ?? elf.bytes()
        if kernel == nil {
            for index in 0..<0x100 { file[0x1000 + index] = UInt8(truncatingIfNeeded: index * 7) }  // "code"
            for index in 0..<0x10 { file[0x1100 + index] = 0xD0 }                                 // "data"
        }
        memory.write(file, at: 0x80_0000)
        let boot = BootInfo(
            bootProtocol: .multiboot1,
            memoryMap: [MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable),
                        MemoryRegion(base: 0x10_0000, length: usableEnd - 0x10_0000, kind: .usable)],
            commandLine: [UInt8]("console"),
            modules: [BootModule(start: 0x80_0000, end: 0x80_0000 + UInt64(file.count), commandLine: [UInt8]("kernel.elf exit=0x10"))]
        )
        return (memory, boot)
    }

    func load(_ memory: FakeMemory, _ boot: BootInfo) throws -> LoadedKernel {
        let result: Result<LoadedKernel, LoadError>
        do throws(LoadError) {
            result = .success(try KernelLoader.load(boot: boot, loaderStart: loaderStart, loaderEnd: loaderEnd, loadOffset: 0, trampoline: 0x20_1040, memory: memory))
        } catch {
            result = .failure(error)
        }
        return try result.get()
    }

    @Test func placesMapsAndDescribesTheKernel() throws {
        let (memory, boot) = machine()
        let kernel = try load(memory, boot)
        let tables = PageMapper(root: kernel.pageTableRoot, memory: PooledTables(memory: memory, start: 0, size: 0))

        // The code is where the page tables say, byte for byte, read-only and executable.
        let code = try #require(tables.translate(0xFFFF_FFFF_C000_0000))
        #expect(code.flags == [.present])
        #expect(memory.load(UInt8.self, at: code.physical + 3) == 21)
        // The data page is writable and NX; the .bss after the file bytes is zero.
        let data = try #require(tables.translate(0xFFFF_FFFF_C000_1100))
        #expect(data.flags == [.present, .writable, .noExecute])
        #expect(memory.load(UInt8.self, at: data.physical) == 0xD0)
        #expect(memory.load(UInt8.self, at: data.physical + 0x10) == 0)
        #expect(tables.translate(0xFFFF_FFFF_C000_5000) == nil)
        // The identity map: executable only in the trampoline's page, never writable there.
        #expect(tables.translate(0x20_1234)?.flags == [.present])  // read-only and executable
        #expect(tables.translate(0x20_2000)?.flags == [.present, .writable, .noExecute])
        #expect(tables.translate(0x20_0000)?.flags == [.present, .writable, .noExecute])
        #expect(tables.translate(0x40_0000)?.flags == [.present, .writable, .huge, .noExecute])
        #expect(tables.translate(0xFFF0_0000)?.flags == [.present, .writable, .huge, .noExecute])

        #expect(kernel.entry == 0xFFFF_FFFF_C000_0010)
        #expect(kernel.stackPointer % 16 == 8)
        #expect(memory.load(UInt64.self, at: kernel.stackPointer) == 0)
        // The page below the 64 KiB stack is its guard: not mapped.
        let stackBottom = kernel.stackPointer + 8 - KernelLoader.stackSize
        #expect(tables.translate(stackBottom)?.flags == [.present, .writable, .noExecute])
        #expect(tables.translate(stackBottom - 1) == nil)
        #expect(tables.translate(stackBottom - 4096 - 1) != nil)

        // The kernel learns which memory is its own and which is swiftboot's.
        let handoff = try #require(Handoff.decode(at: kernel.handoffAddress, from: memory))
        #expect(handoff == kernel.handoff)
        #expect(handoff.boot.modules == boot.modules)
        let kinds = handoff.boot.memoryMap.map(\.kind)
        #expect(kinds.filter { $0 == .kernel }.count == 2)
        #expect(kinds.contains(.bootloader) && kinds.contains(.module))
        let usable = handoff.boot.memoryMap.filter { $0.kind == .usable }
        for placement in kernel.placements {
            #expect(!usable.contains { $0.base < placement.physical + placement.pages * 4096 && placement.physical < $0.end })
        }
        #expect(!usable.contains { $0.base < kernel.handoffAddress + 1 && kernel.handoffAddress < $0.end })
    }

    /// p_align 2 MiB: the physical copy keeps the address modulo 2 MiB, so
    /// the kernel could map itself with 2 MiB pages; the lead-in before it
    /// stays usable.
    @Test func placesASegmentAsItsPAlignAsks() throws {
        var elf = ELFBuilder()
        elf.headers[0].alignment = 0x20_0000
        elf.headers[0].address = 0xFFFF_FFFF_C000_1000  // ≡ its file offset 0x1000, modulo 2 MiB
        elf.entry = 0xFFFF_FFFF_C000_1010
        let (memory, boot) = machine(kernel: elf.bytes())
        let kernel = try load(memory, boot)
        let code = try #require(kernel.placements.first)
        #expect(code.physical % 0x20_0000 == 0x1000)
        let tables = PageMapper(root: kernel.pageTableRoot, memory: PooledTables(memory: memory, start: 0, size: 0))
        #expect(tables.translate(0xFFFF_FFFF_C000_1000)?.physical == code.physical)
        let leadIn = code.physical - 0x1000
        #expect(kernel.handoff.boot.memoryMap.contains { $0.kind == .usable && $0.base <= leadIn && leadIn < $0.end })
    }

    /// The page-table pool grows with the kernel: a 100 MiB .bss needs
    /// 51 page tables, more than a fixed pool of 32 frames had.
    @Test func sizesThePageTablePoolForTheKernel() throws {
        var elf = ELFBuilder()
        elf.headers.append(.init(flags: 6, offset: 0x1100, address: 0xFFFF_FFFF_C000_1100, fileSize: 0x10, memorySize: 100 << 20))
        let image = try elf.parse()
        // Identity map 8; code 1 + 1 + 1; data 51 page tables + 1 + 1.
        #expect(KernelLoader.pageTableFrames(for: image) == 8 + 3 + 53)

        let memory = FakeMemory(base: 0, size: 0x800_0000)  // 128 MiB
        let file = elf.bytes()
        memory.write(file, at: 0x80_0000)
        let boot = BootInfo(
            bootProtocol: .multiboot1,
            memoryMap: [MemoryRegion(base: 0x10_0000, length: 0x800_0000 - 0x10_0000, kind: .usable)],
            commandLine: [], modules: [BootModule(start: 0x80_0000, end: 0x80_0000 + UInt64(file.count), commandLine: [])]
        )
        let kernel = try load(memory, boot)
        #expect(kernel.pageTablePoolSize == 64 * 4096)
        let tables = PageMapper(root: kernel.pageTableRoot, memory: PooledTables(memory: memory, start: 0, size: 0))
        let last = 0xFFFF_FFFF_C000_1100 + (100 << 20) - 1 as UInt64
        #expect(tables.translate(last)?.flags == [.present, .writable, .noExecute])
    }

    /// GRUB's Multiboot2 information lies in usable memory; the kernel's
    /// code may overwrite it. The loader works from the parsed copy, so
    /// the kernel is told exactly what the loader said.
    @Test func overwritingTheBootInformationIsSafe() throws {
        let (memory, _) = machine()
        // The information where the first segment will go: 1 MiB, the
        // allocator's first free page.
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(1, [UInt8]("console") + [0])
        tags.tag(3, le(UInt32(0x80_0000)) + le(UInt32(0x80_2000)) + [UInt8]("kernel.elf") + [0])
        tags.tag(6, le(UInt32(24)) + le(UInt32(0))
            + le(UInt64(0)) + le(UInt64(0x9_FC00)) + le(UInt32(1)) + le(UInt32(0))
            + le(UInt64(0x10_0000)) + le(UInt64(0xF0_0000)) + le(UInt32(1)) + le(UInt32(0)))
        tags.finish()
        let boot = try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory)
        let kernel = try load(memory, boot)
        #expect(kernel.placements[0].physical == 0x10_0000)  // on top of the information
        #expect(memory.load(UInt32.self, at: 0x10_0008) != 1)  // whose first tag is gone
        let handoff = try #require(Handoff.decode(at: kernel.handoffAddress, from: memory))
        #expect(handoff.boot.commandLine == [UInt8]("console"))
        #expect(handoff.boot.modules == boot.modules)
        #expect(handoff.boot.memoryMap.first == MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable))
    }

    @Test func refusesToBootWithoutAKernel() {
        var (memory, boot) = machine()
        boot.modules = []
        #expect(throws: LoadError.noKernel) { try load(memory, boot) }
    }

    @Test func refusesAModuleThatIsNotAKernel() {
        let (memory, boot) = machine(kernel: [UInt8]("#!/bin/sh\necho this is not an ELF file\n") + [UInt8](repeating: 0, count: 64))
        #expect(throws: LoadError.invalidKernel(.notELF)) { try load(memory, boot) }
    }

    @Test func saysWhenTheMemoryMapHasNoRoom() {
        // 0x5000 for the segments, 0x11000 for the stack and its guard,
        // and 0x8000 left: less than the page tables need (8 frames for
        // the identity map, 3 for each segment's page table, directory
        // and PDPT).
        let (memory, boot) = machine(usableEnd: 0x10_0000 + 0x5000 + 0x11000 + 0x8000)
        #expect(throws: LoadError.noRoom(.pageTables, size: 14 * 4096)) { try load(memory, boot) }
        let (small, tooSmall) = machine(usableEnd: 0x10_8000)
        #expect(throws: LoadError.noRoom(.stack, size: 0x11000)) { try load(small, tooSmall) }
    }

    @Test func refusesAModuleBeyondTheIdentityMap() {
        var (memory, boot) = machine()
        boot.modules[0] = BootModule(start: 0x1_2000_0000, end: 0x1_2000_4000, commandLine: [])
        #expect(throws: LoadError.moduleOutOfReach(start: 0x1_2000_0000, end: 0x1_2000_4000)) { try load(memory, boot) }
    }
}

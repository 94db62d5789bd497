import BookKit
import Foundation
import SwiftBootCore
import Testing

/// A bzImage small enough for a test: a boot sector with a setup header,
/// `setupSectors` sectors of (empty) setup code, then the protected-mode
/// part, whose bytes count up so that a copy can be checked.
struct BzImageBuilder {
    var setupSectors: UInt8 = 1
    var magic: [UInt8] = Array("HdrS".utf8)
    var version: UInt16 = 0x020F
    var loadFlags: UInt8 = 0x01
    var xloadflags: UInt16 = 0x7F
    var initrdAddressMax: UInt32 = 0x7FFF_FFFF
    var kernelAlignment: UInt32 = 0x20_0000
    var relocatable: UInt8 = 1
    var commandLineSize: UInt32 = 2047
    var preferredAddress: UInt64 = 0x40_0000
    var initSize: UInt32 = 0x10_0000
    var protectedModeSize = 0x1234
    /// syssize; by default the protected-mode part in 16-byte units.
    var systemSize: UInt32?

    var protectedMode: [UInt8] { (0..<protectedModeSize).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) } }

    func bytes() -> [UInt8] {
        var file = [UInt8](repeating: 0, count: (Int(setupSectors) + 1) * 512)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            for index in 0..<MemoryLayout<T>.size { file[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        }
        put(setupSectors, at: 0x1F1)
        put(systemSize ?? UInt32((protectedModeSize + 15) / 16), at: 0x1F4)
        put(UInt16(0xAA55), at: 0x1FE)
        file[0x201] = 0x6A  // the header ends at 0x26C (protocol 2.15)
        for (index, byte) in magic.enumerated() { file[0x202 + index] = byte }
        put(version, at: 0x206)
        put(loadFlags, at: 0x211)
        put(UInt32(0x10_0000), at: 0x214)
        put(initrdAddressMax, at: 0x22C)
        put(kernelAlignment, at: 0x230)
        put(relocatable, at: 0x234)
        put(xloadflags, at: 0x236)
        put(commandLineSize, at: 0x238)
        put(preferredAddress, at: 0x258)
        put(initSize, at: 0x260)
        return file + protectedMode + [UInt8](repeating: 0, count: (16 - protectedModeSize % 16) % 16)
    }
}

func parse(_ file: [UInt8]) throws -> LinuxImage {
    try file.withUnsafeBytes { try LinuxImage.parse($0) }
}

@Suite struct LinuxImageTests {
    @Test func readsTheSetupHeader() throws {
        let image = try parse(BzImageBuilder(setupSectors: 3).bytes())
        #expect(image.protocolVersion == 0x020F)
        #expect(image.kernelOffset == 4 * 512)
        #expect(image.headerEnd == 0x26C)
        #expect(image.preferredAddress == 0x40_0000 && image.initSize == 0x10_0000)
        #expect(image.kernelAlignment == 0x20_0000 && image.relocatable)
        #expect(image.initrdAddressMax == 0x7FFF_FFFF && image.commandLineSize == 2047)
    }

    /// setup_sects = 0 means 4, for compatibility with ancient kernels.
    @Test func zeroSetupSectorsMeansFour() throws {
        var file = BzImageBuilder(setupSectors: 4).bytes()
        file[0x1F1] = 0
        #expect(try parse(file).kernelOffset == 5 * 512)
    }

    @Test func refusesEveryKindOfBadKernel() {
        #expect(throws: LinuxImageError.noSetupHeader) { try parse(BzImageBuilder(magic: Array("HdrT".utf8)).bytes()) }
        #expect(throws: LinuxImageError.zImage) { try parse(BzImageBuilder(loadFlags: 0).bytes()) }
        #expect(throws: LinuxImageError.protocolTooOld(version: 0x020B)) { try parse(BzImageBuilder(version: 0x020B).bytes()) }
        #expect(throws: LinuxImageError.no64BitEntry) { try parse(BzImageBuilder(xloadflags: 0x7E).bytes()) }
        #expect(throws: LinuxImageError.truncated(size: 1024 + 0x1240, expected: 1024 + 0x2000)) {
            try parse(BzImageBuilder(systemSize: 0x200).bytes())
        }
        #expect(throws: LinuxImageError.noSetupHeader) { try parse([UInt8](repeating: 0, count: 0x210)) }
    }

    @Test func onlyABootSectorLooksLikeLinux() {
        #expect(BzImageBuilder().bytes().withUnsafeBytes { LinuxImage.looksLikeLinux($0) })
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0, count: 0x400)
        #expect(!elf.withUnsafeBytes { LinuxImage.looksLikeLinux($0) })
    }
}

@Suite struct CPIOArchiveTests {
    @Test func readsWhatTheWriterWrites() throws {
        var writer = CPIOWriter()
        writer.directory("bin")
        writer.file("vmlinuz", contents: [1, 2, 3, 4, 5])
        writer.characterDevice("dev/console", major: 5, minor: 1)
        writer.file("initrd.img", contents: [9, 8, 7])
        let archive = writer.finished()
        let files = try #require(archive.withUnsafeBytes { CPIOArchive.files(in: $0) })
        #expect(files.map { String(decoding: $0.name, as: UTF8.self) } == ["vmlinuz", "initrd.img"])
        #expect(Array(archive[files[0].offset..<files[0].offset + files[0].size]) == [1, 2, 3, 4, 5])
        #expect(Array(archive[files[1].offset..<files[1].offset + files[1].size]) == [9, 8, 7])
        #expect(files.allSatisfy { $0.offset % 4 == 0 })
    }

    /// The archive a user makes with cpio(1), as chapter 14 shows.
    @Test func readsWhatCpioWrites() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cpio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([0xAA, 0xBB, 0xCC]).write(to: folder.appendingPathComponent("vmlinuz"))
        try Data("initrd".utf8).write(to: folder.appendingPathComponent("initrd.img"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf 'vmlinuz\\ninitrd.img\\n' | cpio -o -H newc --quiet"]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let archive = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cpio failed: apt-get install cpio")
        let files = try #require(archive.withUnsafeBytes { CPIOArchive.files(in: $0) })
        #expect(files.map { String(decoding: $0.name, as: UTF8.self) } == ["vmlinuz", "initrd.img"])
        #expect(Array(archive[files[0].offset..<files[0].offset + 3]) == [0xAA, 0xBB, 0xCC])
        #expect(files[1].size == 6)
    }

    @Test func malformedArchivesGiveNil() {
        var writer = CPIOWriter()
        writer.file("vmlinuz", contents: [UInt8](repeating: 1, count: 64))
        let archive = writer.finished()
        // Cut inside the data, a non-hex digit in the file size, no trailer.
        #expect(Array(archive[0..<150]).withUnsafeBytes { CPIOArchive.files(in: $0) } == nil)
        var badDigit = archive
        badDigit[6 + 6 * 8] = 0x47  // "G"
        #expect(badDigit.withUnsafeBytes { CPIOArchive.files(in: $0) } == nil)
        #expect(Array(archive[0..<(110 + 8 + 64)]).withUnsafeBytes { CPIOArchive.files(in: $0) } == nil)
    }
}

@Suite struct LinuxLoaderTests {
    let loaderStart: UInt64 = 0x20_0000
    let loaderEnd: UInt64 = 0x21_0000
    let kernelModule: UInt64 = 0x80_0000
    let initrdModule: UInt64 = 0x90_0000
    let initrdBytes: [UInt8] = Array("an initrd".utf8)

    /// 16 MiB of memory, usable from 1 MiB on; the kernel and an initrd as
    /// modules at 8 and 9 MiB.
    func machine(_ builder: BzImageBuilder = BzImageBuilder(), moduleString: String = "vmlinuz console=ttyS0 quiet",
                 regions: [MemoryRegion]? = nil) -> (FakeMemory, BootInfo, [UInt8]) {
        let memory = FakeMemory(base: 0, size: 0x100_0000)
        let file = builder.bytes()
        memory.write(file, at: kernelModule)
        memory.write(initrdBytes, at: initrdModule)
        var boot = BootInfo(bootProtocol: .multiboot2)
        boot.memoryMap = regions ?? [
            MemoryRegion(base: 0, length: 0x9_F000, kind: .usable),
            MemoryRegion(base: 0xF_0000, length: 0x1_0000, kind: .reserved),
            MemoryRegion(base: 0x10_0000, length: 0xF0_0000, kind: .usable),
        ]
        boot.modules = [
            BootModule(start: kernelModule, end: kernelModule + UInt64(file.count), commandLine: Array(moduleString.utf8)),
            BootModule(start: initrdModule, end: initrdModule + UInt64(initrdBytes.count), commandLine: Array("initrd.img".utf8)),
        ]
        return (memory, boot, file)
    }

    func load(_ memory: FakeMemory, _ boot: BootInfo) throws(LinuxLoadError) -> LoadedLinux {
        let payload = LinuxPayload.find(in: boot, memory: memory)!
        return try LinuxLoader.load(payload, boot: boot, loaderStart: loaderStart, loaderEnd: loaderEnd, memory: memory)
    }

    func bytes(_ memory: FakeMemory, _ address: UInt64, _ count: Int) -> [UInt8] {
        Array(memory.bytes(at: address, count: count)!)
    }

    func u32(_ memory: FakeMemory, _ address: UInt64) -> UInt32 { memory.load(UInt32.self, at: address)! }

    @Test func findsTheKernelTheInitrdAndTheCommandLine() {
        let (memory, boot, file) = machine()
        let payload = LinuxPayload.find(in: boot, memory: memory)
        #expect(payload == LinuxPayload(
            kernel: PhysicalRange(kernelModule, kernelModule + UInt64(file.count)),
            initrd: PhysicalRange(initrdModule, initrdModule + UInt64(initrdBytes.count)),
            commandLine: Array("console=ttyS0 quiet".utf8), fromArchive: false))
    }

    /// QEMU's PVH loader gives the module no string: swiftboot's own
    /// command line is Linux's.
    @Test func aModuleWithoutAStringTakesSwiftbootsCommandLine() {
        var (memory, boot, _) = machine(moduleString: "")
        boot.commandLine = Array("console=ttyS0".utf8)
        #expect(LinuxPayload.find(in: boot, memory: memory)?.commandLine == Array("console=ttyS0".utf8))
    }

    @Test func anELFKernelIsNotLinux() {
        var (memory, boot, _) = machine()
        memory.write([0x7F, 0x45, 0x4C, 0x46], at: kernelModule)
        memory.write([0, 0], at: kernelModule + 0x1FE)
        #expect(LinuxPayload.find(in: boot, memory: memory) == nil)
        boot.modules = []
        #expect(LinuxPayload.find(in: boot, memory: memory) == nil)
    }

    @Test func aCpioArchiveCarriesTheKernelAndTheInitrd() throws {
        let (memory, base, file) = machine()
        var writer = CPIOWriter()
        writer.file("vmlinuz", contents: file)
        writer.file("initrd.img", contents: initrdBytes)
        let archive = writer.finished()
        memory.write(archive, at: 0x40_0000)
        var boot = base
        boot.modules = [BootModule(start: 0x40_0000, end: 0x40_0000 + UInt64(archive.count), commandLine: [])]
        boot.commandLine = Array("quiet".utf8)
        let payload = try #require(LinuxPayload.find(in: boot, memory: memory))
        #expect(payload.fromArchive)
        #expect(bytes(memory, payload.kernel.start, Int(payload.kernel.end - payload.kernel.start)) == file)
        let initrd = try #require(payload.initrd)
        #expect(bytes(memory, initrd.start, Int(initrd.end - initrd.start)) == initrdBytes)
        // The kernel is placed outside the archive: at pref_address, 4 MiB,
        // the archive's own start, is taken, so at the next 2 MiB boundary.
        let linux = try LinuxLoader.load(payload, boot: boot, loaderStart: loaderStart, loaderEnd: loaderEnd, memory: memory)
        #expect(linux.loadAddress == 0x60_0000)
    }

    @Test func loadsAtThePreferredAddress() throws {
        let builder = BzImageBuilder()
        let (memory, boot, _) = machine(builder)
        let linux = try load(memory, boot)
        #expect(linux.loadAddress == 0x40_0000)
        #expect(linux.entry == 0x40_0200)
        #expect(bytes(memory, 0x40_0000, builder.protectedModeSize) == builder.protectedMode)
        #expect(linux.initrd == PhysicalRange(initrdModule, initrdModule + UInt64(initrdBytes.count)) && !linux.initrdMoved)
    }

    @Test func fillsInTheZeroPage() throws {
        let (memory, boot, file) = machine()
        let linux = try load(memory, boot)
        let zeroPage = linux.bootParams
        #expect(zeroPage % 4096 == 0)
        // The setup header, copied; the loader's fields, filled in.
        #expect(bytes(memory, zeroPage + 0x202, 4) == Array("HdrS".utf8))
        #expect(bytes(memory, zeroPage + 0x1F1, 0x1F) == Array(file[0x1F1..<0x210]))
        #expect(bytes(memory, zeroPage + 0x230, 0x26C - 0x230) == Array(file[0x230..<0x26C]))
        #expect(bytes(memory, zeroPage + 0x26C, 4) == [0, 0, 0, 0])
        #expect(memory.load(UInt8.self, at: zeroPage + 0x210) == 0xFF)
        #expect(u32(memory, zeroPage + 0x214) == 0x40_0000)
        #expect(u32(memory, zeroPage + 0x218) == UInt32(initrdModule))
        #expect(u32(memory, zeroPage + 0x21C) == UInt32(initrdBytes.count))
        let commandLine = UInt64(u32(memory, zeroPage + 0x228))
        #expect(commandLine == linux.commandLine)
        #expect(memory.cString(at: commandLine, limit: 100) == Array("console=ttyS0 quiet".utf8))
        #expect(u32(memory, zeroPage + 0x0C8) == 0 && u32(memory, zeroPage + 0x0C0) == 0)
        #expect(memory.load(UInt64.self, at: zeroPage + 0x070) == 0, "no RSDP was given")
        // The E820 table is the loader's map.
        #expect(memory.load(UInt8.self, at: zeroPage + 0x1E8) == 3)
        let entries = (0..<3).map { index -> E820Entry in
            let entry = zeroPage + 0x2D0 + UInt64(index * 20)
            return E820Entry(base: memory.load(UInt64.self, at: entry)!, length: memory.load(UInt64.self, at: entry + 8)!,
                             type: u32(memory, entry + 16))
        }
        #expect(entries == [E820Entry(base: 0, length: 0x9_F000, type: 1), E820Entry(base: 0xF_0000, length: 0x1_0000, type: 2),
                            E820Entry(base: 0x10_0000, length: 0xF0_0000, type: 1)])
        #expect(memory.load(UInt64.self, at: zeroPage + 0x250) == 0, "no setup_data")
    }

    /// Nothing the loader places overlaps the kernel's init_size range,
    /// swiftboot, the modules or another piece.
    @Test func everyPieceHasMemoryOfItsOwn() throws {
        let (memory, boot, _) = machine()
        let linux = try load(memory, boot)
        var ranges = [
            PhysicalRange(linux.loadAddress, linux.loadAddress + linux.image.initSize),
            PhysicalRange(loaderStart, loaderEnd),
            PhysicalRange(linux.bootParams, linux.bootParams + 4096),
            PhysicalRange(linux.commandLine, linux.commandLine + 4096),
            PhysicalRange(linux.pageTableRoot, linux.pageTableRoot + 6 * 4096),
            PhysicalRange(linux.stackPointer - 16 * 1024, linux.stackPointer),
        ]
        ranges += boot.modules.map { PhysicalRange($0.start, $0.end) }
        for (index, range) in ranges.enumerated() {
            #expect(range.start >= 0x10_0000 && range.end <= 0x100_0000)
            for other in ranges[(index + 1)...] {
                #expect(range.end <= other.start || other.end <= range.start, "\(range) overlaps \(other)")
            }
        }
    }

    /// The low 4 GiB identity mapped in 2 MiB pages, writable and
    /// executable: Linux's code runs from there.
    @Test func identityMapsTheLow4GiBExecutable() throws {
        let (memory, boot, _) = machine()
        let linux = try load(memory, boot)
        let mapper = PageMapper(root: linux.pageTableRoot, memory: PooledTables(memory: memory, start: 0, size: 0))
        for address: UInt64 in [0, linux.entry, linux.bootParams, 0x7FFF_FFFF, 0xFFFF_FFFF] {
            let translation = try #require(mapper.translate(address))
            #expect(translation.physical == address)
            #expect(translation.flags.contains(.writable) && !translation.flags.contains(.noExecute))
        }
        #expect(mapper.translate(0x1_0000_0000) == nil)
    }

    @Test func movesTheKernelWhenThePreferredAddressIsTaken() throws {
        let (memory, boot, _) = machine(BzImageBuilder(preferredAddress: 0x80_0000))
        // The lowest 2 MiB-aligned free range: above swiftboot (2 MiB–2 MiB + 64 KiB).
        #expect(try load(memory, boot).loadAddress == 0x40_0000)
        let (fixed, fixedBoot, _) = machine(BzImageBuilder(relocatable: 0, preferredAddress: 0x80_0000))
        #expect(throws: LinuxLoadError.noRoom(.kernel, size: 0x10_0000)) { try load(fixed, fixedBoot) }
        let (small, smallBoot, _) = machine(BzImageBuilder(initSize: 0x200_0000))
        #expect(throws: LinuxLoadError.noRoom(.kernel, size: 0x200_0000)) { try load(small, smallBoot) }
    }

    @Test func refusesACommandLineLongerThanCmdlineSize() {
        let (memory, boot, _) = machine(BzImageBuilder(commandLineSize: 18))
        #expect(throws: LinuxLoadError.commandLineTooLong(length: 19, limit: 18)) { try load(memory, boot) }
        let (fits, fitsBoot, _) = machine(BzImageBuilder(commandLineSize: 19))
        #expect(throws: Never.self) { try load(fits, fitsBoot) }
    }

    @Test func movesTheInitrdBelowInitrdAddrMax() throws {
        let (memory, boot, _) = machine(BzImageBuilder(initrdAddressMax: 0x7F_FFFF))
        let linux = try load(memory, boot)
        let initrd = try #require(linux.initrd)
        #expect(linux.initrdMoved && initrd.end - 1 <= 0x7F_FFFF)
        #expect(bytes(memory, initrd.start, initrdBytes.count) == initrdBytes)
        #expect(u32(memory, linux.bootParams + 0x218) == UInt32(initrd.start))
        // Below 1 MiB nothing is handed out.
        let (low, lowBoot, _) = machine(BzImageBuilder(initrdAddressMax: 0xF_FFFF))
        #expect(throws: LinuxLoadError.initrdTooHigh(end: initrdModule + UInt64(initrdBytes.count), limit: 0xF_FFFF)) { try load(low, lowBoot) }
    }

    @Test func copiesTheRSDPToAReservedPage() throws {
        var (memory, boot, _) = machine()
        let rsdp: [UInt8] = Array("RSD PTR ".utf8) + [0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]
        boot.acpiRSDP = rsdp
        let linux = try load(memory, boot)
        let copy = try #require(linux.rsdp)
        #expect(bytes(memory, copy, rsdp.count) == rsdp)
        #expect(memory.load(UInt64.self, at: linux.bootParams + 0x070) == copy)
        #expect(linux.e820.contains(E820Entry(base: copy, length: 4096, type: 2)))
        #expect(linux.e820.count == 5, "the usable region above 1 MiB split in three")
        // Protocol 2.13 has no acpi_rsdp_addr.
        var (old, oldBoot, _) = machine(BzImageBuilder(version: 0x020D))
        oldBoot.acpiRSDP = rsdp
        let oldLinux = try load(old, oldBoot)
        #expect(old.load(UInt64.self, at: oldLinux.bootParams + 0x070) == 0)
    }

    /// 130 entries: 128 in the zero page, 2 in a SETUP_E820_EXT node.
    @Test func putsEntriesBeyond128IntoSetupData() throws {
        var regions = [MemoryRegion(base: 0x10_0000, length: 0xF0_0000, kind: .usable)]
        for index in 0..<129 { regions.append(MemoryRegion(base: 0x1_0000_0000 + UInt64(index) * 0x2000, length: 0x1000, kind: .reserved)) }
        let (memory, boot, _) = machine(regions: regions)
        let linux = try load(memory, boot)
        #expect(linux.e820.count == 130)
        #expect(memory.load(UInt8.self, at: linux.bootParams + 0x1E8) == 128)
        let node = try #require(memory.load(UInt64.self, at: linux.bootParams + 0x250))
        #expect(node != 0)
        #expect(memory.load(UInt64.self, at: node) == 0, "the last node")
        #expect(u32(memory, node + 8) == 1, "SETUP_E820_EXT")
        #expect(u32(memory, node + 12) == 40)
        #expect(memory.load(UInt64.self, at: node + 16) == 0x1_0000_0000 + 127 * 0x2000)
        #expect(memory.load(UInt64.self, at: node + 36) == 0x1_0000_0000 + 128 * 0x2000)
    }
}

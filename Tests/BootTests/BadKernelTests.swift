import BookKit
import Foundation
import Testing

/// Every way a kernel module can be wrong makes swiftboot print what is wrong
/// and end QEMU with a value of its own, instead of hanging or faulting.
@Suite struct BadKernelTests {
    /// The example kernel's bytes with `change` applied, as a module file.
    func kernel(_ change: (inout [UInt8], ELF64Layout) -> Void) throws -> URL {
        let state = try builtBook.get()
        let original = try #require(state.recipe.kernel)
        var bytes = [UInt8](try Data(contentsOf: original))
        change(&bytes, ELF64Layout(bytes))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-\(UUID().uuidString).elf")
        try Data(bytes).write(to: url)
        return url
    }

    func boot(with modules: [URL], memory: String = "128M") throws -> QemuBoot.Result {
        var boot = try builtBook.get().boot(timeout: 30)
        boot.modules = modules.map { QemuBoot.Module(path: $0) }
        boot.memory = memory
        return try boot.run()
    }

    func expectFailure(_ result: QemuBoot.Result, status: Int32, message: String) {
        #expect(result.qemuStatus == status, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: error: \(message)"), "\(result.output)")
    }

    @Test func noKernelModule() throws {
        expectFailure(try boot(with: []), status: 49, message: "no kernel: boot with the kernel as the first module\n")
    }

    @Test func aModuleThatIsNotELF() throws {
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).txt")
        try Data(String(repeating: "not a kernel\n", count: 100).utf8).write(to: text)
        expectFailure(try boot(with: [text]), status: 51, message: "the kernel module is not an ELF file\n")
    }

    @Test func an32BitELF() throws {
        let module = try kernel { bytes, _ in bytes[4] = 1 }  // EI_CLASS = ELFCLASS32
        expectFailure(try boot(with: [module]), status: 51, message: "the kernel module is not a 64-bit ELF file\n")
    }

    @Test func aTruncatedKernel() throws {
        let module = try kernel { bytes, layout in bytes.removeLast(bytes.count - Int(layout.loads.last!.offset) - 8) }
        expectFailure(try boot(with: [module]), status: 53, message: "the kernel module is truncated: segment")
    }

    @Test func overlappingSegments() throws {
        let module = try kernel { bytes, layout in
            // The second segment claims the first one's address.
            layout.write(layout.loads[0].address, toSegment: 1, field: 16, in: &bytes)
            layout.write(layout.loads[0].address, toSegment: 1, field: 24, in: &bytes)
            layout.write(layout.loads[0].offset, toSegment: 1, field: 8, in: &bytes)
        }
        expectFailure(try boot(with: [module]), status: 55, message: "the kernel module has segments that share a page: 1 and 0 (each segment needs 4 KiB pages of its own)\n")
    }

    @Test func aSegmentInTheIdentityMap() throws {
        let module = try kernel { bytes, layout in
            layout.write(0x40_0000 + layout.loads[2].offset % 4096, toSegment: 2, field: 16, in: &bytes)
        }
        expectFailure(try boot(with: [module]), status: 55,
                      message: "the kernel module has a segment swiftboot cannot map: segment 2 lies below 4 GiB, which swiftboot identity-maps: link the kernel above, e.g. at 0xffffffff81000000\n")
    }

    @Test func anEntryOutsideTheCode() throws {
        let module = try kernel { bytes, layout in
            layout.writeEntry(layout.loads[2].address, in: &bytes)  // the data segment
        }
        expectFailure(try boot(with: [module]), status: 57, message: "the kernel module has its entry point 0x")
    }

    @Test func noRoomForTheKernel() throws {
        let module = try kernel { bytes, layout in
            layout.write(0x1000_0000, toSegment: 2, field: 40, in: &bytes)  // 256 MiB of .bss
        }
        expectFailure(try boot(with: [module], memory: "128M"), status: 59,
                      message: "no room in the memory map for a kernel segment (segment 2): ")
    }
}

/// Where the fields of an ELF64 file are, for patching.
struct ELF64Layout {
    struct Load {
        var header: Int
        var offset: UInt64
        var address: UInt64
    }

    var loads: [Load] = []

    init(_ bytes: [UInt8]) {
        let phoff = Int(Self.read(bytes, 32))
        let size = Int(Self.read(bytes, 54, width: 2))
        let count = Int(Self.read(bytes, 56, width: 2))
        for index in 0..<count {
            let header = phoff + index * size
            if Self.read(bytes, header, width: 4) == 1 {  // PT_LOAD
                loads.append(Load(header: header, offset: Self.read(bytes, header + 8), address: Self.read(bytes, header + 16)))
            }
        }
    }

    static func read(_ bytes: [UInt8], _ offset: Int, width: Int = 8) -> UInt64 {
        (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    static func write(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// Sets the 64-bit field at `field` (8 offset, 16 vaddr, 24 paddr,
    /// 32 filesz, 40 memsz) of the program header of PT_LOAD `segment`.
    func write(_ value: UInt64, toSegment segment: Int, field: Int, in bytes: inout [UInt8]) {
        Self.write(value, at: loads[segment].header + field, in: &bytes)
    }

    func writeEntry(_ value: UInt64, in bytes: inout [UInt8]) {
        Self.write(value, at: 24, in: &bytes)
    }
}

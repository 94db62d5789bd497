import SwiftBootCore
import Testing

/// Builds ELF64 files byte by byte: a header, program headers, and
/// segment contents.
struct ELFBuilder {
    struct Header {
        var type: UInt32 = 1            // PT_LOAD
        var flags: UInt32 = 5           // R+X
        var offset: UInt64 = 0x1000
        var address: UInt64 = 0xFFFF_FFFF_C000_0000
        var fileSize: UInt64 = 0x100
        var memorySize: UInt64 = 0x100
        var alignment: UInt64 = 0x1000
    }

    var entry: UInt64 = 0xFFFF_FFFF_C000_0010
    var headers = [Header()]
    var size = 0x2000
    var elfType: UInt16 = 2
    var machine: UInt16 = 62

    func bytes() -> [UInt8] {
        var file = [UInt8](repeating: 0, count: size)
        func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
            for index in 0..<MemoryLayout<T>.size where offset + index < file.count {
                file[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
            }
        }
        file.replaceSubrange(0..<4, with: [0x7F, 0x45, 0x4C, 0x46])
        file[4] = 2; file[5] = 1; file[6] = 1
        put(elfType, 16); put(machine, 18); put(UInt32(1), 20)
        put(entry, 24); put(UInt64(64), 32)
        put(UInt16(64), 52); put(UInt16(56), 54); put(UInt16(headers.count), 56)
        for (index, header) in headers.enumerated() {
            let base = 64 + index * 56
            put(header.type, base); put(header.flags, base + 4)
            put(header.offset, base + 8); put(header.address, base + 16); put(header.address, base + 24)
            put(header.fileSize, base + 32); put(header.memorySize, base + 40); put(header.alignment, base + 48)
        }
        return file
    }

    func parse() throws -> KernelImage {
        try parseELF(bytes())
    }
}

func parseELF(_ bytes: [UInt8]) throws -> KernelImage {
    let result = bytes.withUnsafeBytes { raw -> Result<KernelImage, ELFError> in
        do throws(ELFError) { return .success(try KernelImage.parse(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}

@Suite struct ELFTests {
    @Test func acceptsAWellFormedKernel() throws {
        var elf = ELFBuilder()
        elf.headers.append(.init(flags: 6, offset: 0x1100, address: 0xFFFF_FFFF_C000_1100, fileSize: 0x10, memorySize: 0x5000))
        #expect(try elf.parse() == KernelImage(entry: 0xFFFF_FFFF_C000_0010, segments: [
            .init(virtualAddress: 0xFFFF_FFFF_C000_0000, fileOffset: 0x1000, fileSize: 0x100, memorySize: 0x100, flags: 5, alignment: 0x1000),
            .init(virtualAddress: 0xFFFF_FFFF_C000_1100, fileOffset: 0x1100, fileSize: 0x10, memorySize: 0x5000, flags: 6, alignment: 0x1000),
        ]))
    }

    @Test func rejectsWhatIsNotAnX86_64Executable() {
        #expect(throws: ELFError.tooSmall(size: 10)) { try parseELF([UInt8](repeating: 0, count: 10)) }
        var notELF = ELFBuilder().bytes(); notELF[1] = 0x46
        #expect(throws: ELFError.notELF) { try parseELF(notELF) }
        var elf32 = ELFBuilder().bytes(); elf32[4] = 1
        #expect(throws: ELFError.not64Bit) { try parseELF(elf32) }
        var bigEndian = ELFBuilder().bytes(); bigEndian[5] = 2
        #expect(throws: ELFError.notLittleEndian) { try parseELF(bigEndian) }
        var relocatable = ELFBuilder(); relocatable.elfType = 1
        #expect(throws: ELFError.notExecutable(type: 1)) { try relocatable.parse() }
        var arm = ELFBuilder(); arm.machine = 183
        #expect(throws: ELFError.wrongMachine(183)) { try arm.parse() }
    }

    @Test func rejectsProgramHeadersPastTheEnd() {
        var elf = ELFBuilder()
        elf.headers = Array(repeating: .init(), count: 40)
        elf.size = 0x400
        #expect(throws: ELFError.badProgramHeaders) { try elf.parse() }
    }

    @Test func rejectsAKernelWithoutLoadableSegments() {
        var elf = ELFBuilder()
        elf.headers[0].type = 4  // PT_NOTE
        #expect(throws: ELFError.noLoadableSegment) { try elf.parse() }
    }

    @Test func rejectsATruncatedSegment() {
        var elf = ELFBuilder()
        elf.headers[0].fileSize = 0x2000
        elf.headers[0].memorySize = 0x2000
        #expect(throws: ELFError.truncated(segment: 0)) { try elf.parse() }
    }

    @Test func rejectsMoreFileThanMemory() {
        var elf = ELFBuilder()
        elf.headers[0].memorySize = 0x10
        #expect(throws: ELFError.fileSizeExceedsMemorySize(segment: 0)) { try elf.parse() }
    }

    @Test func rejectsAMisalignedSegment() {
        var elf = ELFBuilder()
        elf.headers[0].address += 8
        elf.entry += 8
        #expect(throws: ELFError.misaligned(segment: 0)) { try elf.parse() }
    }

    @Test func rejectsSegmentsInTheIdentityMapOrNonCanonical() {
        var low = ELFBuilder()
        low.headers[0].address = 0x20_0000 + 0x1000
        low.entry = 0x20_1010
        #expect(throws: ELFError.inIdentityMap(segment: 0)) { try low.parse() }
        var hole = ELFBuilder()
        hole.headers[0].address = 0x0000_8000_0000_1000
        hole.entry = 0x0000_8000_0000_1010
        #expect(throws: ELFError.notCanonical(segment: 0)) { try hole.parse() }
        var straddling = ELFBuilder()
        straddling.headers[0].address = 0x0000_7FFF_FFFF_F000
        straddling.headers[0].memorySize = 0x2000
        straddling.entry = 0x0000_7FFF_FFFF_F010
        #expect(throws: ELFError.notCanonical(segment: 0)) { try straddling.parse() }
    }

    @Test func checksPAlign() throws {
        // A power of two, and offset and address agreeing modulo it.
        var odd = ELFBuilder()
        odd.headers[0].alignment = 0x3000
        #expect(throws: ELFError.misaligned(segment: 0)) { try odd.parse() }
        var disagreeing = ELFBuilder()
        disagreeing.headers[0].alignment = 0x20_0000  // address 0x...c0000000, offset 0x1000
        #expect(throws: ELFError.misaligned(segment: 0)) { try disagreeing.parse() }
        var agreeing = ELFBuilder()
        agreeing.headers[0].alignment = 0x20_0000
        agreeing.headers[0].address = 0xFFFF_FFFF_C000_1000
        agreeing.entry = 0xFFFF_FFFF_C000_1010
        #expect(try agreeing.parse().segments[0].alignment == 0x20_0000)
        var none = ELFBuilder()
        none.headers[0].alignment = 0  // 0 and 1: no alignment beyond the page
        #expect(try none.parse().segments[0].alignment == 0)
    }

    @Test func rejectsOverlappingSegments() {
        var elf = ELFBuilder()
        elf.headers.append(.init(flags: 6, offset: 0x1080, address: 0xFFFF_FFFF_C000_0080, fileSize: 0x10, memorySize: 0x10))
        #expect(throws: ELFError.overlapping(segment: 1, with: 0)) { try elf.parse() }
    }

    @Test func rejectsAnEntryOutsideTheCode() {
        var elf = ELFBuilder()
        elf.entry = 0xFFFF_FFFF_C000_0200
        #expect(throws: ELFError.entryOutsideCode(entry: 0xFFFF_FFFF_C000_0200)) { try elf.parse() }
        var data = ELFBuilder()
        data.headers[0].flags = 6  // RW, not executable
        #expect(throws: ELFError.entryOutsideCode(entry: 0xFFFF_FFFF_C000_0010)) { try data.parse() }
    }
}

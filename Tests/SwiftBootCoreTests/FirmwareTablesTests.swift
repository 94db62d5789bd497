import SwiftBootCore
import Testing

/// An RSDP as firmware writes it: signature, checksum, OEM ID, revision,
/// RSDT address and, from revision 2 on, length, XSDT address and the
/// extended checksum (ACPI 6.5 §5.2.5.3).
func craftedRSDP(revision: UInt8, oem: String = "BOCHS ", rsdt: UInt32 = 0x7FE_14A8, xsdt: UInt64 = 0x7FE_1500) -> [UInt8] {
    var bytes = [UInt8]("RSD PTR ") + [0] + [UInt8](oem) + [revision] + le(rsdt)
    bytes[8] = 0 &- bytes.reduce(0, &+)
    guard revision >= 2 else { return bytes }
    bytes += le(UInt32(36)) + le(xsdt) + [0, 0, 0, 0]
    bytes[32] = 0 &- bytes.reduce(0, &+)
    return bytes
}

@Suite struct ACPIRSDPTests {
    @Test func craftedRSDPsHaveValidChecksums() {
        #expect(craftedRSDP(revision: 0).count == 20)
        #expect(craftedRSDP(revision: 2).count == 36)
        #expect(craftedRSDP(revision: 0).reduce(0, &+) == 0)
        #expect(craftedRSDP(revision: 2).reduce(0, &+) == 0)
    }

    @Test func readsRevisionZeroAndTwo() throws {
        let memory = FakeMemory()
        memory.write(craftedRSDP(revision: 0), at: 0x10_0000)
        memory.write(craftedRSDP(revision: 2, oem: "OVMFOV"), at: 0x10_0100)
        #expect(try ACPIRSDP.read(at: 0x10_0000, from: memory) == craftedRSDP(revision: 0))
        let info = BootInfo(bootProtocol: .pvh, acpiRSDP: try ACPIRSDP.read(at: 0x10_0100, from: memory))
        #expect(info.acpiRSDP == craftedRSDP(revision: 2, oem: "OVMFOV"))
        #expect(info.acpiRevision == 2)
        #expect(info.acpiOEM == [UInt8]("OVMFOV"))
        #expect(BootInfo(bootProtocol: .pvh).acpiRevision == nil)
        #expect(BootInfo(bootProtocol: .pvh).acpiOEM == [])
    }

    @Test func rejectsABadSignatureOrChecksum() throws {
        let memory = FakeMemory()
        var wrongSignature = craftedRSDP(revision: 0)
        wrongSignature[0] = UInt8(ascii: "X")
        wrongSignature[8] &-= UInt8(ascii: "X") &- UInt8(ascii: "R")  // checksum still right
        memory.write(wrongSignature, at: 0x10_0000)
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: 0x10_0000)) { try ACPIRSDP.read(at: 0x10_0000, from: memory) }
        var wrongChecksum = craftedRSDP(revision: 0)
        wrongChecksum[8] &+= 1
        memory.write(wrongChecksum, at: 0x10_0000)
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: 0x10_0000)) { try ACPIRSDP.read(at: 0x10_0000, from: memory) }
        var wrongExtendedChecksum = craftedRSDP(revision: 2)
        wrongExtendedChecksum[32] &+= 1
        memory.write(wrongExtendedChecksum, at: 0x10_0000)
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: 0x10_0000)) { try ACPIRSDP.read(at: 0x10_0000, from: memory) }
        // A revision-2 RSDP in a tag with room for 20 bytes only.
        memory.write(craftedRSDP(revision: 2), at: 0x10_0000)
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: 0x10_0000)) { try ACPIRSDP.read(at: 0x10_0000, room: 20, from: memory) }
        #expect(try ACPIRSDP.read(at: 0x10_0000, room: 20, firstPartOnly: true, from: memory) == Array(craftedRSDP(revision: 2).prefix(20)))
        #expect(throws: BootInfoError.outOfRange(.acpiRSDP, address: 0x20_0000)) { try ACPIRSDP.read(at: 0x20_0000, from: memory) }
    }
}

@Suite struct FirmwareTagTests {
    /// The tags GRUB adds under UEFI: the EFI system table (12), both RSDP
    /// copies (14, 15) and the EFI memory map (17), next to a command line.
    func crafted(old: [UInt8]? = craftedRSDP(revision: 0, oem: "OLDOEM"), new: [UInt8]? = craftedRSDP(revision: 2)) -> FakeMemory {
        let memory = FakeMemory()
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(1, [UInt8]("") + [0])
        tags.tag(12, le(UInt64(0x7F5_E018)))
        if let old { tags.tag(14, old) }
        if let new { tags.tag(15, new) }
        tags.tag(17, le(UInt32(48)) + le(UInt32(1)) + [UInt8](repeating: 0, count: 3 * 48))
        tags.finish()
        return memory
    }

    @Test func readsTheEFISystemTableTheNewRSDPAndTheEFIMemoryMap() throws {
        let info = try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: crafted())
        #expect(info.efiSystemTable == 0x7F5_E018)
        #expect(info.acpiRSDP == craftedRSDP(revision: 2))
        #expect(info.acpiRevision == 2)
        // Tags of 16 (command line), 16 (12), 32 (14) and 48 (15) bytes after
        // the fixed part; the descriptors start after tag 17's head and two words.
        #expect(info.efiMemoryMap == EFIMemoryMap(address: 0x10_0000 + 8 + 16 + 16 + 32 + 48 + 16, descriptorSize: 48, descriptorVersion: 1, count: 3))
    }

    @Test func theOldRSDPServesWhenThereIsNoNewOne() throws {
        let info = try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: crafted(new: nil))
        #expect(info.acpiRSDP == craftedRSDP(revision: 0, oem: "OLDOEM"))
        #expect(info.acpiOEM == [UInt8]("OLDOEM"))
        let none = try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: crafted(old: nil, new: nil))
        #expect(none.acpiRSDP == [])
        #expect(none.acpiRevision == nil)
    }

    @Test func rejectsABrokenRSDPCopyAndAShortSystemTableTag() {
        var broken = craftedRSDP(revision: 2)
        broken[9] = 0  // the OEM ID changes, the checksums do not
        let memory = crafted(new: broken)
        let newTag: UInt64 = 0x10_0000 + 8 + 16 + 16 + 32
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: newTag + 8)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory)
        }
        let short = FakeMemory()
        var tags = TagWriter(short, at: 0x10_0000)
        tags.tag(12, le(UInt32(0x7F5_E018)))  // 4 bytes where the pointer needs 8
        tags.finish()
        #expect(throws: BootInfoError.malformed(.multiboot2Tag, address: 0x10_0008)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: short)
        }
    }

    @Test func rejectsAnEFIMemoryMapWithDescriptorsTooSmall() {
        let memory = FakeMemory()
        var tags = TagWriter(memory, at: 0x10_0000)
        tags.tag(17, le(UInt32(24)) + le(UInt32(1)) + [UInt8](repeating: 0, count: 48))
        tags.finish()
        #expect(throws: BootInfoError.malformed(.memoryMap, address: 0x10_0008)) {
            try BootInfo.read(magic: BootMagic.multiboot2, address: 0x10_0000, from: memory)
        }
    }
}

@Suite struct PVHRSDPTests {
    @Test func readsTheRSDPThatRSDPPaddrPointsTo() throws {
        let memory = PVHTests().crafted(version: 0)
        memory.write(craftedRSDP(revision: 0), at: 0x10_0400)
        memory.write(UInt64(0x10_0400), at: 0x10_0000 + 32)  // rsdp_paddr, in version 0 already
        let info = try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: memory)
        #expect(info.acpiRSDP == craftedRSDP(revision: 0))
        #expect(info.acpiRevision == 0)
    }

    @Test func noRSDPWhenRSDPPaddrIsZero() throws {
        #expect(try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: PVHTests().crafted()).acpiRSDP == [])
    }

    @Test func rejectsAnRSDPPaddrThatPointsAtSomethingElse() {
        let memory = PVHTests().crafted()
        memory.write(UInt64(0x10_0200), at: 0x10_0000 + 32)  // the command line, not an RSDP
        #expect(throws: BootInfoError.malformed(.acpiRSDP, address: 0x10_0200)) {
            try BootInfo.read(magic: BootMagic.pvh, address: 0x10_0000, from: memory)
        }
    }
}

@Suite struct HandoffVersion2Tests {
    @Test func theFirmwarePointersSurviveTheHandoff() throws {
        let handoff = Handoff(
            boot: BootInfo(bootProtocol: .multiboot2, commandLine: [UInt8]("x"), acpiRSDP: craftedRSDP(revision: 2), efiSystemTable: 0x7F5_E018),
            loaderStart: 0x20_0000, loaderEnd: 0x21_0000, loadOffset: 0
        )
        let memory = FakeMemory()
        let bytes = handoff.encode(at: 0x10_8000)
        memory.write(bytes, at: 0x10_8000)
        #expect(Handoff.version == 2 && memory.load(UInt32.self, at: 0x10_8004) == 2)
        #expect(memory.load(UInt32.self, at: 0x10_8000 + 12) == 2)  // flags: EFI system table valid
        #expect(memory.load(UInt64.self, at: 0x10_8000 + 112) == 0x7F5_E018)
        #expect(memory.load(UInt64.self, at: 0x10_8000 + 128) == 36)
        let copy = try #require(memory.load(UInt64.self, at: 0x10_8000 + 120))
        #expect(Array(try #require(memory.bytes(at: copy, count: 36))) == craftedRSDP(revision: 2))
        #expect(bytes.count == Handoff.headerSize + 36 + 2)
        let decoded = try #require(Handoff.decode(at: 0x10_8000, from: memory))
        #expect(decoded == handoff)
        #expect(decoded.boot.efiSystemTable == 0x7F5_E018)
    }

    @Test func withoutThemTheFieldsAreEmpty() throws {
        let memory = FakeMemory()
        memory.write(Handoff(boot: BootInfo(bootProtocol: .multiboot1), loaderStart: 0, loaderEnd: 0, loadOffset: 0).encode(at: 0x10_0000), at: 0x10_0000)
        #expect(memory.load(UInt32.self, at: 0x10_0000 + 12) == 0)
        #expect(memory.load(UInt64.self, at: 0x10_0000 + 128) == 0)
        let decoded = try #require(Handoff.decode(at: 0x10_0000, from: memory))
        #expect(decoded.boot.efiSystemTable == nil && decoded.boot.acpiRSDP == [])
    }
}

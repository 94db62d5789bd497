import SwiftBootCore
import Testing

@Suite struct HandoffTests {
    @Test func encodedInformationDecodesToTheSame() throws {
        let handoff = Handoff(
            boot: BootInfo(
                bootProtocol: .multiboot2,
                memoryMap: [MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable), MemoryRegion(base: 0x20_0000, length: 0x20_0000, kind: .bootloader)],
                commandLine: [UInt8]("root=/dev/null"),
                modules: [BootModule(start: 0x40_0000, end: 0x40_8000, commandLine: [UInt8]("kernel.elf")),
                          BootModule(start: 0x50_0000, end: 0x50_0100, commandLine: [])],
                framebuffer: Framebuffer(address: 0xFD00_0000, pitch: 4096, width: 1024, height: 768, bitsPerPixel: 32, type: 1)
            ),
            loaderStart: 0x20_0000, loaderEnd: 0x21_0000, loadOffset: 0x0
        )
        let memory = FakeMemory()
        let bytes = handoff.encode(at: 0x10_8000)
        memory.write(bytes, at: 0x10_8000)
        #expect(bytes.count == Handoff.headerSize + 2 * Handoff.regionSize + 2 * Handoff.moduleSize + 15 + 11 + 1)
        #expect(memory.load(UInt32.self, at: 0x10_8000) == 0x5442_5753)
        #expect(Handoff.decode(at: 0x10_8000, from: memory) == handoff)
    }

    @Test func decodingRejectsAWrongMagic() {
        let memory = FakeMemory()
        memory.write(Handoff(boot: BootInfo(bootProtocol: .pvh), loaderStart: 0, loaderEnd: 0, loadOffset: 0).encode(at: 0x10_0000), at: 0x10_0000)
        memory.write(UInt32(0), at: 0x10_0000)
        #expect(Handoff.decode(at: 0x10_0000, from: memory) == nil)
    }

    @Test func protocolAndKindNamesAreWhatTheLogPrints() {
        #expect("\(BootProtocol.multiboot2.name)" == "Multiboot2")
        #expect("\(MemoryRegion(base: 0, length: 1, kind: .acpiNVS).kindName)" == "ACPI NVS")
    }
}

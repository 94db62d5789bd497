import BookKit
import Foundation
import Testing

/// The 32-bit code's checks: each refusal prints a message and ends QEMU
/// with its own status, (value << 1) | 1.
@Suite struct CPUCheckTests {
    @Test func aProcessorWithoutLongModeIsRefused() throws {
        let state = try builtBook.get()
        var boot = state.boot(timeout: 20)
        boot.extraArguments += ["-cpu", "qemu32"]
        let result = try boot.run()
        #expect(!result.timedOut, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: error: this processor has no long mode or no NX bit\n"), "\(result.output)")
        #expect(result.qemuStatus == 39, "\(result.summary)\n\(result.output)")
    }

    /// QEMU's default processor reports "AuthenticAMD", so the 32-bit
    /// check skips IA32_MISC_ENABLE. As "GenuineIntel" it reads the MSR
    /// (writing it back only if XD was disabled), and the whole boot, with
    /// the kernel's NX check, still succeeds.
    @Test func anIntelProcessorBootsThroughTheXDDisableCheck() throws {
        let state = try builtBook.get()
        var boot = state.boot(timeout: 30)
        boot.modules = [QemuBoot.Module(path: try #require(state.recipe.kernel), arguments: "")]
        boot.extraArguments += ["-cpu", "qemu64,vendor=GenuineIntel"]
        let result = try boot.run()
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(result.summary)\n\(result.output)")
        #expect(result.qemuStatus == 33, "\(result.summary)\n\(result.output)")
    }

    @Test func anUnknownBootMagicIsRefused() throws {
        // QEMU's Multiboot1 loader always passes the right magic; entering
        // at the refusal itself shows that it prints and exits without
        // knowing where the image is.
        let state = try builtBook.get()
        let entry = try symbolAddress("unknown_boot_magic", in: state.recipe.elf64)
        var boot = state.boot(timeout: 20)
        boot.image = try patchedELF32(state.recipe.elf32, entry: entry)
        let result = try boot.run()
        #expect(result.output == "swiftboot: error: unknown boot magic\n", "\(result.output)")
        #expect(result.qemuStatus == 37, "\(result.summary)\n\(result.output)")
    }

    @Test func thePVHEntryRefusesWhatIsNotAPVHStartInfo() throws {
        // Enter at pvh_entry, but through Multiboot1: %ebx points to a
        // Multiboot information structure, whose first word is no
        // hvm_start_info magic.
        let state = try builtBook.get()
        let entry = try symbolAddress("pvh_entry", in: state.recipe.elf64)
        var boot = state.boot(timeout: 20)
        boot.image = try patchedELF32(state.recipe.elf32, entry: entry)
        let result = try boot.run()
        #expect(result.output == "swiftboot: error: unknown boot magic\n", "\(result.output)")
        #expect(result.qemuStatus == 37, "\(result.summary)\n\(result.output)")
    }

    @Test func anImageThatIsNotTwoMiBAlignedIsRefused() throws {
        // Move every segment and the entry 4 KiB up: the load offset is
        // then 0x1000.
        let state = try builtBook.get()
        var boot = state.boot(timeout: 20)
        boot.image = try patchedELF32(state.recipe.elf32, shift: 0x1000)
        let result = try boot.run()
        #expect(result.output.contains("load offset 0x00001000\n"), "\(result.output)")
        #expect(result.output.hasSuffix("swiftboot: error: image not 2 MiB aligned\n"), "\(result.output)")
        #expect(result.qemuStatus == 41, "\(result.summary)\n\(result.output)")
    }
}

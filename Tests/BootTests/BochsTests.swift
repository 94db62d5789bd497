import BookKit
import Foundation
import Testing

/// A second PC: the GRUB rescue ISO that QEMU boots through Multiboot2
/// boots in Bochs too, an emulator written independently of QEMU (its own
/// CPU, BIOS and chipset), and the example kernel finds the same promises
/// kept. Bochs missing is a failure that says how to install it.
@Suite struct BochsTests {
    /// Little memory, and 4 GiB, which Bochs's BIOS reports as the 3 GiB
    /// below the PCI hole (it lists nothing above 4 GiB).
    @Test(arguments: [128, 4096])
    func bootsTheGRUBISO(memoryMiB: Int) throws {
        let state = try builtBook.get()
        let iso = try #require(state.recipe.iso)
        let result = try BochsBoot(iso: iso, memoryMiB: memoryMiB, timeout: 120).run()
        let context = "\(result.summary)\n\(result.output)\nBochs's log:\n\(result.log)"
        #expect(result.succeeded, "\(context)")
        #expect(result.finalLine == BochsBoot.exampleKernelSuccess, "\(context)")
        // Only the guest's bytes: Bochs's banner and its debugger's first
        // stop, on the same standard output, are left out.
        #expect(result.output.hasPrefix("swiftboot: hello from 32-bit protected mode\n"), "\(context)")
        #expect(result.output.contains("swiftboot: started by Multiboot2, load offset 0x"), "\(context)")
        #expect(result.output.contains("kernel: hand-off structure at 0x"), "\(context)")
        #expect(result.output.contains(", protocol Multiboot2\n"), "\(context)")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(context)")
        // Bochs found nothing to warn about in what swiftboot did.
        #expect(result.problems.isEmpty, "Bochs's log: \(result.problems.joined(separator: "\n"))")
        // GRUB placed the image high, below the end of the RAM that Bochs's
        // BIOS reports: all of it with 128 MiB, 3 GiB with 4 GiB.
        let reported = try #require(ProtocolTests.imageAndOffset(in: result.output), "no image line in:\n\(result.output)")
        let top = memoryMiB == 4096 ? 0xC000_0000 : memoryMiB << 20
        #expect(reported.offset != 0)
        #expect(reported.image % 0x20_0000 == 0)
        #expect(reported.image >= top / 2 && reported.image + 0x20_0000 <= top, "image at \(String(reported.image, radix: 16))")
        let usable = String(format: "swiftboot:   0x0000000000100000-0x%016lx usable\n", top - 0x1_0000)
        #expect(result.output.contains(usable), "no \(usable) in:\n\(result.output)")
        // GRUB's own output went to COM1's file.
        #expect(result.serial.contains("Booting `swiftboot (Multiboot2)'"), "\(result.serial)")
    }

    /// Without success lines, the boot ends where it ends under QEMU: at
    /// the exit value swiftboot writes to port 0xf4, which Bochs's log
    /// reports, as `book run --pc bochs` uses it.
    @Test func theExitValueEndsTheBoot() throws {
        let state = try builtBook.get()
        let boot = try state.bochsBoot(memory: "128M", timeout: 120)
        #expect(boot.until.isEmpty)
        let result = try boot.run()
        #expect(result.guestValue == GuestExit.success, "\(result.summary)\n\(result.output)")
        #expect(result.succeeded)
        #expect(result.finalLine == nil)
        #expect(result.summary == "swiftboot reported success")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(result.output)")
    }

    /// The success line can come from the serial port instead (where a
    /// Linux kernel's `console=ttyS0` writes): swiftboot and the kernel
    /// write every line to both.
    @Test func watchesTheSerialPort() throws {
        let iso = try #require(try builtBook.get().recipe.iso)
        let serialLog = FileManager.default.temporaryDirectory.appendingPathComponent("bochs-com1-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: serialLog) }
        // Only on the serial port: GRUB's menu entry.
        let result = try BochsBoot(
            iso: iso, until: ["Booting `swiftboot (Multiboot2)'"], watching: .serial, serialLog: serialLog, timeout: 120
        ).run()
        #expect(result.succeeded, "\(result.summary)\n\(result.serial)")
        #expect(result.finalLine?.hasSuffix("Booting `swiftboot (Multiboot2)'") == true, "\(result.serial)")
        // The boot ended there, before the example kernel ran.
        #expect(!result.output.contains("kernel: hello"), "\(result.output)")
        #expect(result.guestValue == nil)
        #expect(try String(contentsOf: serialLog, encoding: .utf8) == result.serial)
    }

    /// A failure line ends the boot at once: a module that is not an ELF.
    @Test func aFailureLineEndsTheBoot() throws {
        let iso = try Self.iso(withKernel: Data(String(repeating: "not a kernel\n", count: 100).utf8))
        defer { try? FileManager.default.removeItem(at: iso) }
        let result = try BochsBoot(iso: iso, timeout: 120).run()
        #expect(!result.succeeded)
        #expect(result.failureLine == "swiftboot: error: the kernel module is not an ELF file", "\(result.summary)\n\(result.output)")
        #expect(result.summary == "the boot failed: \"swiftboot: error: the kernel module is not an ELF file\"")
    }

    /// The example kernel has no IDT: an invalid opcode at its entry
    /// becomes a triple fault, and Bochs (told not to reset) stops.
    /// swiftboot's trampoline left IDTR with limit 0, so delivering the
    /// #UD raises a general-protection fault (vector 13), and so does
    /// delivering the double fault: the third exception.
    @Test func aTripleFaultStopsBochs() throws {
        let state = try builtBook.get()
        var kernel = [UInt8](try Data(contentsOf: try #require(state.recipe.kernel)))
        let layout = ELF64Layout(kernel)
        let entry = ELF64Layout.read(kernel, 24)
        let segment = try #require(layout.loads.first { $0.address <= entry && entry < $0.address + ELF64Layout.read(kernel, $0.header + 32) })
        let offset = Int(segment.offset + entry - segment.address)
        kernel[offset] = 0x0F; kernel[offset + 1] = 0x0B  // ud2
        let iso = try Self.iso(withKernel: Data(kernel))
        defer { try? FileManager.default.removeItem(at: iso) }
        let result = try BochsBoot(iso: iso, timeout: 120).run()
        let context = "\(result.summary)\n\(result.output)\nBochs's log:\n\(result.log)"
        #expect(!result.succeeded, "\(context)")
        #expect(!result.timedOut, "\(context)")
        #expect(result.bochsStatus != nil && result.bochsStatus != 0, "\(context)")
        #expect(!result.output.contains("kernel: hello"), "\(context)")
        #expect(result.problems.contains { $0.contains("3rd (13) exception with no resolution") }, "\(context)")
        #expect(result.summary.hasPrefix("Bochs exited with status 1: "), "\(context)")
        // Bochs's dump of the processor: the kernel's entry.
        #expect(result.log.contains("| RIP=ffffffff81000000 (ffffffff81000000)"), "\(context)")
        // Chapter 13 shows the end of this log.
        let mismatch = try sampleMismatch(named: "bochs-triple-fault", output: result.log)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// The built book's GRUB ISO with another kernel module.
    static func iso(withKernel kernel: Data) throws -> URL {
        let state = try builtBook.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bochs-iso-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: state.recipe.output.appendingPathComponent("iso"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try kernel.write(to: folder.appendingPathComponent("boot/kernel.elf"))
        let iso = folder.appendingPathExtension("iso")
        try Command(.grubMkrescue, ["-o", iso.path, folder.path]).check()
        return iso
    }

    @Test func bochsrcDescribesTheMachine() {
        let boot = BochsBoot(iso: URL(fileURLWithPath: "/tmp/x.iso"), memoryMiB: 4096, cpuModel: "ryzen")
        let rc = boot.configuration(log: URL(fileURLWithPath: "/tmp/bochs.log"), serial: URL(fileURLWithPath: "/tmp/com1.log"))
        #expect(rc.contains("memory: guest=4096, host=2048\n"))
        #expect(rc.contains("cpu: model=ryzen, ips=10000000, reset_on_triple_fault=0\n"))
        #expect(rc.contains("ata0-slave: type=cdrom, path=\"/tmp/x.iso\", status=inserted\nboot: cdrom\n"))
        #expect(rc.contains("port_e9_hack: enabled=1\n"))
        #expect(rc.contains("com1: enabled=1, mode=file, dev=\"/tmp/com1.log\"\n"))
        #expect(rc.contains("log: /tmp/bochs.log\n"))
        #expect(BochsBoot.mebibytes("128M") == 128)
        #expect(BochsBoot.mebibytes("4G") == 4096)
        #expect(BochsBoot.mebibytes("512") == 512)
        #expect(BochsBoot.mebibytes("lots") == nil)
    }

    /// Chapter 13 shows the bochsrc that `BochsBoot` writes, with the
    /// paths made relative.
    @Test func chapter13ShowsTheBochsrc() throws {
        let book = try Book.load(root: repositoryRoot)
        let chapter = try #require(book.chapters.first { $0.number == 13 })
        let shown = try #require(MarkdownParser.codeBlocks(in: chapter).first { $0.lines.first == "memory: guest=128, host=128" })
        let root = "/ROOT/"
        let written = BochsBoot(iso: URL(fileURLWithPath: root + "build/swiftboot.iso"))
            .configuration(log: URL(fileURLWithPath: root + "bochs.log"), serial: URL(fileURLWithPath: root + "build/serial.log"))
            .replacingOccurrences(of: root, with: "")
            .split(separator: "\n").dropFirst().map(String.init)
        #expect(shown.lines == written, "\(shown.fenceLocation): the chapter shows\n\(shown.lines.joined(separator: "\n"))\nBochsBoot writes\n\(written.joined(separator: "\n"))")
    }

    /// `book run --pc bochs` boots only the ISO, and says so.
    @Test(arguments: ["mb1", "pvh"])
    func bookRunRefusesOtherProtocols(_ bootProtocol: String) throws {
        let run = try runBook(["run", "--pc", "bochs", "--protocol", bootProtocol], in: repositoryRoot)
        #expect(run.status != 0)
        #expect(run.output.contains("--pc bochs boots the GRUB rescue ISO, that is --protocol mb2: Bochs has no loader for \(bootProtocol) images"), "\(run.output)")
    }
}

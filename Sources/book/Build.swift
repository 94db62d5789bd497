import ArgumentParser
import BookKit
import Foundation

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tangle, compile and link swiftboot into build/swiftboot.elf64 and .elf32."
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Flag(name: .shortAndLong, help: "Print every command.")
    var verbose = false

    func run() throws {
        let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
        report(try codeState.build(log: verbose ? { print($0) } : nil))
        print("built \(codeState.recipe.elf64.path)")
        print("built \(codeState.recipe.elf32.path)")
        if let iso = codeState.recipe.iso { print("built \(iso.path)") }
    }
}

extension QemuBoot.BootProtocol: ExpressibleByArgument {}
extension QemuBoot.Firmware: ExpressibleByArgument {}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build swiftboot and boot it in QEMU, streaming the debug console.",
        discussion: """
            mb1 boots build/swiftboot.elf32 with QEMU's Multiboot1 loader, pvh boots build/swiftboot.elf64 \
            with QEMU's PVH loader, mb2 boots the GRUB rescue ISO build/swiftboot.iso (GRUB's serial \
            output goes to build/serial.log). --firmware uefi starts GRUB from the same ISO with OVMF \
            (Debian's ovmf) instead of SeaBIOS; it goes with mb2 only. Exits 0 when swiftboot reports \
            success through isa-debug-exit. --pc bochs boots the same ISO in Bochs instead of QEMU \
            (Multiboot2 only); --accel kvm runs QEMU on the host's processor. --linux boots Debian's Linux \
            through swiftboot and streams the serial port.
            """
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Option(name: .customLong("protocol"), help: "How QEMU starts swiftboot: mb1, mb2 or pvh (default: mb1; mb2 with --pc bochs).")
    var bootProtocol: QemuBoot.BootProtocol?

    @Option(help: "The PC that boots swiftboot: qemu, or bochs (an independent emulator; the GRUB ISO only).")
    var pc: PC = .qemu

    @Option(help: "How QEMU runs the guest: tcg (QEMU translates the code) or kvm (the host's processor runs it).")
    var accel: QemuBoot.Accelerator = .tcg

    @Option(help: "The firmware that starts GRUB for mb2: bios (SeaBIOS) or uefi (OVMF).")
    var firmware: QemuBoot.Firmware = .bios

    @Option(help: "QEMU's machine type: pc, q35 or microvm.")
    var machine = "pc"

    @Option(help: "The guest's memory (QEMU's -m).")
    var memory = "128M"

    @Option(help: "Seconds before QEMU is stopped (default 10; 30 with UEFI, whose firmware alone takes seconds; 120 with --linux).")
    var timeout: Double?

    @Flag(help: "Boot Debian's Linux kernel (scripts/setup unpacks it) with a busybox initramfs instead of the example kernel, streaming the serial port.")
    var linux = false

    func validate() throws {
        try validateBochs()
    }

    func run() throws {
        if pc == .bochs { return try runBochs() }
        let bootProtocol = self.bootProtocol ?? .multiboot1
        let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
        report(try codeState.build())
        if linux {
            guard try runLinux(codeState) else { throw ExitCode.failure }
            return
        }
        let serialLog = bootProtocol == .multiboot2 ? codeState.recipe.output.appendingPathComponent("serial.log") : nil
        var boot = try codeState.boot(using: bootProtocol, firmware: firmware, machine: machine, memory: memory, serialLog: serialLog, timeout: timeout ?? (firmware == .uefi ? 30 : 10))
        boot.accelerator = accel
        let result = try boot.run { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        FileHandle.standardError.write(Data("book: \(result.summary)\n".utf8))
        if !result.succeeded, let serialLog {
            FileHandle.standardError.write(Data("book: GRUB's output is in \(serialLog.path)\n".utf8))
        }
        if FaultTriage.isNeeded(for: result) { try triage(boot.forTriage(), codeState) }
        if !result.succeeded { throw ExitCode.failure }
    }

    /// Boots Linux through swiftboot; true when Linux ran the init and the
    /// init powered off.
    func runLinux(_ codeState: CodeState) throws -> Bool {
        let parts = try LinuxParts.make(for: codeState.recipe)
        let debugconLog = codeState.recipe.output.appendingPathComponent("debugcon.log")
        var boot = try parts.boot(bootProtocol ?? .multiboot1, firmware: firmware, recipe: codeState.recipe, machine: machine, memory: memory,
                                  debugconLog: debugconLog, timeout: timeout ?? 120)
        boot.accelerator = accel
        let result = try boot.run { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let succeeded = LinuxParts.succeeded(result)
        let summary = succeeded ? "Linux ran the init, which powered off"
            : result.timedOut ? "Linux did not finish: QEMU was stopped after the timeout"
            : "Linux did not reach the init's power-off (QEMU exited with status \(result.qemuStatus))"
        FileHandle.standardError.write(Data("book: \(summary); swiftboot's debug console is in \(debugconLog.path)\n".utf8))
        return succeeded
    }
}

/// After a triple fault or a timeout: boot again with QEMU's exception log
/// and print the last exceptions at their chapter lines.
func triage(_ boot: QemuBoot, _ codeState: CodeState) throws {
    let log = codeState.recipe.output.appendingPathComponent("qemu-int.log")
    let triage = try FaultTriage.run(boot, image: codeState.recipe.elf64, log: log)
    FileHandle.standardError.write(Data(triage.description.utf8))
}

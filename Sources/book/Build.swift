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
        try reportingErrors {
            let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
            report(try codeState.build(log: verbose ? { print($0) } : nil))
            print("built \(codeState.recipe.elf64.path)")
            print("built \(codeState.recipe.elf32.path)")
            if let iso = codeState.recipe.iso { print("built \(iso.path)") }
        }
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
            success through isa-debug-exit.
            """
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Option(name: .customLong("protocol"), help: "How QEMU starts swiftboot: mb1, mb2 or pvh.")
    var bootProtocol: QemuBoot.BootProtocol = .multiboot1

    @Option(help: "The firmware that starts GRUB for mb2: bios (SeaBIOS) or uefi (OVMF).")
    var firmware: QemuBoot.Firmware = .bios

    @Option(help: "QEMU's machine type: pc, q35 or microvm.")
    var machine = "pc"

    @Option(help: "The guest's memory (QEMU's -m).")
    var memory = "128M"

    @Option(help: "Seconds before QEMU is stopped (default 10; 30 with UEFI, whose firmware alone takes seconds).")
    var timeout: Double?

    func run() throws {
        var succeeded = false
        try reportingErrors {
            let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
            report(try codeState.build())
            let serialLog = bootProtocol == .multiboot2 ? codeState.recipe.output.appendingPathComponent("serial.log") : nil
            let boot = try codeState.boot(using: bootProtocol, firmware: firmware, machine: machine, memory: memory, serialLog: serialLog, timeout: timeout ?? (firmware == .uefi ? 30 : 10))
            let result = try boot.run { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            FileHandle.standardError.write(Data("book: \(result.summary)\n".utf8))
            if !result.succeeded, let serialLog {
                FileHandle.standardError.write(Data("book: GRUB's output is in \(serialLog.path)\n".utf8))
            }
            succeeded = result.succeeded
            if FaultTriage.isNeeded(for: result) { try triage(boot, codeState) }
        }
        if !succeeded { throw ExitCode.failure }
    }
}

/// After a triple fault or a timeout: boot again with QEMU's exception log
/// and print the last exceptions at their chapter lines.
func triage(_ boot: QemuBoot, _ codeState: CodeState) throws {
    let log = codeState.recipe.output.appendingPathComponent("qemu-int.log")
    let triage = try FaultTriage.run(boot, image: codeState.recipe.elf64, log: log)
    FileHandle.standardError.write(Data(triage.description.utf8))
}

import Foundation

/// How swiftboot reports its end to QEMU: it writes a value to the
/// isa-debug-exit port (0xf4), and QEMU exits with `(value << 1) | 1`.
public enum GuestExit {
    public static let port = 0xf4
    /// Written by the bootloader when everything worked.
    public static let success: Int32 = 0x10
    /// Written by the bootloader when it gives up.
    public static let failure: Int32 = 0x11

    /// The value the guest wrote, given QEMU's exit status; nil when QEMU
    /// ended some other way (its own error, a reset, a signal).
    public static func guestValue(fromQemuStatus status: Int32) -> Int32? {
        status & 1 == 1 && status > 1 ? status >> 1 : nil
    }
}

/// Boots swiftboot in QEMU with the debug console on stdout.
public struct QemuBoot: Sendable {
    /// How QEMU starts swiftboot.
    public enum BootProtocol: String, Sendable, CaseIterable {
        /// QEMU's own Multiboot1 loader (`-kernel` with the ELF32 image).
        case multiboot1 = "mb1"
        /// GRUB from the rescue ISO, through Multiboot2.
        case multiboot2 = "mb2"
        /// QEMU's PVH loader (`-kernel` with the ELF64 image and its Xen note).
        case pvh
    }
    /// The PC's firmware, which starts the loader (for Multiboot2, GRUB from
    /// the rescue ISO; QEMU's own Multiboot1 and PVH loaders run instead of
    /// firmware, so they only go with `bios`).
    public enum Firmware: String, Sendable, CaseIterable {
        /// SeaBIOS, QEMU's default: a legacy BIOS boot (GRUB's i386-pc).
        case bios
        /// OVMF, the UEFI firmware of EDK II (Debian's `ovmf`): GRUB's x86_64-efi.
        case uefi
    }
    /// Debian's OVMF: read-only code, and the template of the variable
    /// store that each guest needs a writable copy of (README.Debian of
    /// `ovmf`). The 4 MiB builds are the ones Debian recommends; the 2 MiB
    /// ones are kept for compatibility only.
    public var ovmfFolder = URL(fileURLWithPath: "/usr/share/OVMF")
    public var ovmfCode: URL { ovmfFolder.appendingPathComponent("OVMF_CODE_4M.fd") }
    public var ovmfVariables: URL { ovmfFolder.appendingPathComponent("OVMF_VARS_4M.fd") }

    /// A file the loader places in memory next to swiftboot (the kernel).
    public struct Module: Sendable {
        public var path: URL
        public var arguments: String

        public init(path: URL, arguments: String = "") {
            self.path = path
            self.arguments = arguments
        }
    }

    public var bootProtocol: BootProtocol
    public var firmware: Firmware
    /// The ELF32 image for Multiboot1, the ELF64 for PVH, the ISO for
    /// Multiboot2.
    public var image: URL
    public var modules: [Module]
    /// The boot loader's command line (`-append`).
    public var commandLine: String?
    /// QEMU's machine type (`pc`, `q35`, `microvm`) and memory size (`-m`).
    public var machine: String
    public var memory: String
    /// Where the serial port's output goes; nil discards it.
    public var serialLog: URL?
    /// Which output QEMU's standard output (and so the stream and the
    /// result) carries: the debug console, or the serial port (Linux).
    public enum StandardOutput: Sendable { case debugcon, serial }
    public var stdio: StandardOutput = .debugcon
    /// Where the debug console goes when `stdio` is the serial port; nil
    /// discards it.
    public var debugconLog: URL?
    public var timeout: Double
    public var extraArguments: [String]
    /// How QEMU runs the guest's instructions: TCG translates them (the
    /// default), KVM runs them on the host's processor.
    public var accelerator: Accelerator = .tcg
    /// QEMU's monitor on a Unix socket, for commands while the guest runs.
    public var monitor: QemuMonitor?

    public init(
        bootProtocol: BootProtocol = .multiboot1, firmware: Firmware = .bios, image: URL, modules: [Module] = [], commandLine: String? = nil,
        machine: String = "pc", memory: String = "128M", serialLog: URL? = nil, timeout: Double = 10, extraArguments: [String] = []
    ) {
        self.bootProtocol = bootProtocol
        self.firmware = firmware
        self.image = image
        self.modules = modules
        self.commandLine = commandLine
        self.machine = machine
        self.memory = memory
        self.serialLog = serialLog
        self.timeout = timeout
        self.extraArguments = extraArguments
    }

    public var arguments: [String] {
        var arguments = [
            "-M", machine, "-m", memory,
            "-display", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        ]
        if firmware == .uefi {
            // OVMF in two flash chips, as on a real board: the code read-only,
            // the variable store writable. snapshot=on sends the writes to a
            // temporary overlay that QEMU deletes at exit, so every boot starts
            // from Debian's pristine template (a store that an earlier boot on
            // another machine type wrote to remembers boot entries for devices
            // that are gone, and OVMF ends up in its shell).
            arguments += [
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=\(ovmfCode.path)",
                "-drive", "if=pflash,format=raw,unit=1,snapshot=on,file=\(ovmfVariables.path)",
            ]
        }
        if accelerator != .tcg { arguments += ["-accel", accelerator.rawValue] }
        if let monitor { arguments += monitor.arguments }
        switch stdio {
        case .debugcon: arguments += ["-debugcon", "stdio", "-serial", serialLog.map { "file:\($0.path)" } ?? "null"]
        case .serial: arguments += ["-serial", "stdio", "-debugcon", debugconLog.map { "file:\($0.path)" } ?? "null"]
        }
        switch bootProtocol {
        case .multiboot1, .pvh: arguments += ["-kernel", image.path]
        case .multiboot2: arguments += ["-cdrom", image.path, "-boot", "d"]
        }
        if bootProtocol != .multiboot2, !modules.isEmpty {
            // QEMU's Multiboot loader: "file args,file args"; a comma inside
            // is written twice.
            let list = modules.map { module in
                (module.arguments.isEmpty ? module.path.path : "\(module.path.path) \(module.arguments)")
                    .replacingOccurrences(of: ",", with: ",,")
            }
            arguments += ["-initrd", list.joined(separator: ",")]
        }
        if bootProtocol != .multiboot2, let commandLine { arguments += ["-append", commandLine] }
        return arguments + extraArguments
    }

    public struct Result: Sendable {
        /// What the bootloader printed on the debug console.
        public var output: String
        public var qemuStatus: Int32
        public var timedOut: Bool

        public var guestValue: Int32? { GuestExit.guestValue(fromQemuStatus: qemuStatus) }
        public var succeeded: Bool { !timedOut && guestValue == GuestExit.success }

        /// One line for the end of a run.
        public var summary: String {
            if timedOut { return "swiftboot did not finish: QEMU was stopped after the timeout" }
            switch guestValue {
            case GuestExit.success?: return "swiftboot reported success"
            case let value?: return "swiftboot reported failure (exit value 0x\(String(value, radix: 16)))"
            case nil: return "QEMU exited with status \(qemuStatus) without an exit value from swiftboot (a triple fault resets and, with -no-reboot, ends QEMU)"
            }
        }
    }

    /// Refuses a boot that cannot work, before QEMU starts: UEFI with one of
    /// QEMU's own loaders, or without the OVMF files.
    public func validate() throws {
        guard firmware == .uefi else { return }
        guard bootProtocol == .multiboot2 else {
            throw DiagnosticError([.error("the UEFI firmware boots swiftboot only through GRUB (--protocol mb2): QEMU's \(bootProtocol.rawValue) loader replaces the firmware", at: nil)])
        }
        for file in [ovmfCode, ovmfVariables] where !FileManager.default.fileExists(atPath: file.path) {
            throw DiagnosticError([.error("the UEFI firmware file \(file.path) is missing; apt-get install ovmf", at: nil)])
        }
    }

    public func run(stream: (@Sendable (String) -> Void)? = nil) throws -> Result {
        try validate()
        let result = try Command(.qemu, arguments).run(timeout: timeout, stream: stream)
        return Result(output: result.output, qemuStatus: result.status, timedOut: result.timedOut)
    }
}

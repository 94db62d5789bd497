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
    /// A file the loader places in memory next to swiftboot (the kernel).
    public struct Module: Sendable {
        public var path: URL
        public var arguments: String

        public init(path: URL, arguments: String = "") {
            self.path = path
            self.arguments = arguments
        }
    }

    public var image: URL
    public var modules: [Module]
    /// The boot loader's command line (`-append`).
    public var commandLine: String?
    public var timeout: Double
    public var extraArguments: [String]

    public init(image: URL, modules: [Module] = [], commandLine: String? = nil, timeout: Double = 10, extraArguments: [String] = []) {
        self.image = image
        self.modules = modules
        self.commandLine = commandLine
        self.timeout = timeout
        self.extraArguments = extraArguments
    }

    public var arguments: [String] {
        var arguments = [
            "-kernel", image.path,
            "-debugcon", "stdio", "-display", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        ]
        if !modules.isEmpty {
            // QEMU's Multiboot loader: "file args,file args"; a comma inside
            // is written twice.
            let list = modules.map { module in
                (module.arguments.isEmpty ? module.path.path : "\(module.path.path) \(module.arguments)")
                    .replacingOccurrences(of: ",", with: ",,")
            }
            arguments += ["-initrd", list.joined(separator: ",")]
        }
        if let commandLine { arguments += ["-append", commandLine] }
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

    public func run(stream: (@Sendable (String) -> Void)? = nil) throws -> Result {
        let result = try Command(.qemu, arguments).run(timeout: timeout, stream: stream)
        return Result(output: result.output, qemuStatus: result.status, timedOut: result.timedOut)
    }
}

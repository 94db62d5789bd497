import Foundation

/// An external program the book needs, and where it comes from.
public struct Tool: Sendable, Hashable {
    public var name: String
    /// How to get it, for the error when it is missing.
    public var installHint: String

    public init(name: String, installHint: String) {
        self.name = name
        self.installHint = installHint
    }

    public static let swiftc = Tool(name: "swiftc", installHint: "it comes with the Swift 6.3 toolchain")
    public static let clang = Tool(name: "clang", installHint: "it comes with the Swift 6.3 toolchain")
    public static let lld = Tool(name: "ld.lld", installHint: "it comes with the Swift 6.3 toolchain")
    public static let objcopy = Tool(name: "llvm-objcopy", installHint: "it comes with the Swift 6.3 toolchain")
    public static let qemu = Tool(name: "qemu-system-x86_64", installHint: "apt-get install qemu-system-x86")
    public static let grubMkrescue = Tool(name: "grub-mkrescue", installHint: "apt-get install grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools")
    public static let cp = Tool(name: "cp", installHint: "it comes with coreutils")
    public static let rm = Tool(name: "rm", installHint: "it comes with coreutils")
    public static let grubFile = Tool(name: "grub-file", installHint: "apt-get install grub-common")

    /// The executable on PATH, or an error that says how to install it.
    public func locate() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw DiagnosticError([.error("\(name) not found on PATH; \(installHint)", at: nil)])
    }
}

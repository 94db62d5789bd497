import Foundation

/// What a Linux boot through swiftboot needs (chapter 14): Debian's kernel,
/// an initramfs made from busybox-static and the chapter's `/init`, the
/// one-module cpio bundle for PVH, and a GRUB ISO that carries both for
/// Multiboot2. `book run --linux` and the boot tests use the same parts.
public struct LinuxParts: Sendable {
    /// Where `scripts/setup` unpacks the kernel of Debian's
    /// `linux-image-amd64`; `SWIFTBOOT_LINUX_KERNEL` names another.
    public static let defaultKernel = URL(fileURLWithPath: "/var/lib/swiftboot/vmlinuz")
    public static let kernelVariable = "SWIFTBOOT_LINUX_KERNEL"
    /// busybox-static's binary: statically linked, so it is the whole
    /// userland of the initramfs.
    public static let busybox = URL(fileURLWithPath: "/bin/busybox")
    /// The init script the chapter tangles; it becomes the initramfs's /init.
    public static let initScript = "linux/init.sh"
    /// The file (chapter 14) that sets `linux_command_line` for GRUB;
    /// Multiboot1 and PVH boots take the same line from it.
    public static let commandLineFile = "iso/boot/grub/linux.cfg"
    /// What Linux prints when the init powers the machine off.
    public static let powerOff = "reboot: Power down"
    /// The first line of the chapter's /init.
    public static let initGreeting = "init: hello from the initramfs"

    /// Linux ran the init, and the init powered the machine off.
    public static func succeeded(_ result: QemuBoot.Result) -> Bool {
        !result.timedOut && result.output.contains(initGreeting) && result.output.contains(powerOff)
    }

    public var kernel: URL
    /// Linux's command line, from `commandLineFile`.
    public var commandLine: String
    public var initrd: URL
    /// The kernel and the initrd in one cpio archive, for PVH.
    public var bundle: URL
    /// A GRUB rescue ISO with swiftboot, the kernel and the initrd.
    public var iso: URL?

    /// The kernel to boot: `SWIFTBOOT_LINUX_KERNEL`, or the one
    /// `scripts/setup` unpacked.
    public static func locateKernel() throws -> URL {
        let path = ProcessInfo.processInfo.environment[kernelVariable].map { URL(fileURLWithPath: $0) } ?? defaultKernel
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw DiagnosticError([.error(
                "no Linux kernel at \(path.path): scripts/setup unpacks Debian's linux-image-amd64 there (or set \(kernelVariable))", at: nil)])
        }
        return path
    }

    /// Makes the initramfs, the bundle and (when the book has a GRUB ISO)
    /// the Linux ISO in `recipe.output/linux`, for swiftboot as built.
    public static func make(for recipe: BuildRecipe, kernel: URL? = nil) throws -> LinuxParts {
        let kernel = try kernel ?? locateKernel()
        let folder = recipe.output.appendingPathComponent("linux")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let initrd = folder.appendingPathComponent("initrd.img")
        try write(try initramfs(tree: recipe.tree), to: initrd)
        let bundle = folder.appendingPathComponent("linux.cpio")
        var archive = CPIOWriter()
        archive.file("vmlinuz", contents: try bytes(of: kernel))
        archive.file("initrd.img", contents: try bytes(of: initrd))
        try write(archive.finished(), to: bundle)
        let commandLine = try Self.commandLine(tree: recipe.tree)
        var parts = LinuxParts(kernel: kernel, commandLine: commandLine, initrd: initrd, bundle: bundle, iso: nil)
        if recipe.iso != nil { parts.iso = try makeISO(recipe: recipe, kernel: kernel, initrd: initrd, in: folder) }
        return parts
    }

    /// The value of `set linux_command_line="..."` in `commandLineFile`.
    public static func commandLine(tree: URL) throws -> String {
        let file = tree.appendingPathComponent(commandLineFile)
        let prefix = "set linux_command_line=\""
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) && $0.hasSuffix("\"") }) else {
            throw DiagnosticError([.error("no `\(prefix)...\"` line in \(commandLineFile) (chapter 14 generates it)", at: nil)])
        }
        return String(line.dropFirst(prefix.count).dropLast())
    }

    /// The initramfs: busybox as /bin/busybox, the chapter's script as
    /// /init (with the `#!` line the kernel needs to run it), and the
    /// directories and the console device the script uses.
    public static func initramfs(tree: URL) throws -> [UInt8] {
        let scriptPath = tree.appendingPathComponent(initScript)
        guard FileManager.default.fileExists(atPath: scriptPath.path) else {
            throw DiagnosticError([.error("no \(initScript): no chapter generates it (chapter 14 does)", at: nil)])
        }
        guard FileManager.default.fileExists(atPath: busybox.path) else {
            throw DiagnosticError([.error("no \(busybox.path): apt-get install busybox-static", at: nil)])
        }
        var archive = CPIOWriter()
        for directory in ["bin", "dev", "proc", "sys"] { archive.directory(directory) }
        archive.characterDevice("dev/console", major: 5, minor: 1)
        archive.file("bin/busybox", contents: try bytes(of: busybox), executable: true)
        archive.file("init", contents: Array("#!/bin/busybox sh\n".utf8) + (try bytes(of: scriptPath)), executable: true)
        return archive.finished()
    }

    /// The book's ISO folder with swiftboot, `vmlinuz` and `initrd.img`
    /// (and without the example kernel): grub.cfg then boots Linux.
    static func makeISO(recipe: BuildRecipe, kernel: URL, initrd: URL, in folder: URL) throws -> URL {
        let staging = folder.appendingPathComponent("iso")
        let iso = recipe.output.appendingPathComponent("swiftboot-linux.iso")
        let boot = staging.appendingPathComponent("boot")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.copyItem(at: recipe.tree.appendingPathComponent("iso"), to: staging)
        try FileManager.default.copyItem(at: recipe.elf64, to: boot.appendingPathComponent("swiftboot.elf64"))
        try FileManager.default.copyItem(at: kernel, to: boot.appendingPathComponent("vmlinuz"))
        try FileManager.default.copyItem(at: initrd, to: boot.appendingPathComponent("initrd.img"))
        let result = try Command(.grubMkrescue, ["-o", iso.path, staging.path]).run(timeout: 120)
        guard result.status == 0 else {
            throw ToolFailure(command: "grub-mkrescue -o \(iso.path) \(staging.path)", status: result.status, output: result.output)
        }
        return iso
    }

    /// A QEMU boot of Linux through swiftboot: the serial port (where both
    /// swiftboot and Linux write) on the stream, the debug console in
    /// `debugconLog`.
    public func boot(_ bootProtocol: QemuBoot.BootProtocol, firmware: QemuBoot.Firmware = .bios, recipe: BuildRecipe,
                     machine: String = "pc", memory: String = "128M", debugconLog: URL? = nil, timeout: Double = 120) throws -> QemuBoot {
        guard firmware == .bios || bootProtocol == .multiboot2 else {
            throw DiagnosticError([.error("UEFI firmware starts swiftboot through GRUB only: use --protocol mb2", at: nil)])
        }
        var boot = QemuBoot(bootProtocol: bootProtocol, firmware: firmware, image: recipe.elf32, machine: machine, memory: memory, timeout: timeout)
        boot.stdio = .serial
        boot.debugconLog = debugconLog
        switch bootProtocol {
        case .multiboot1:
            boot.modules = [.init(path: kernel, arguments: commandLine), .init(path: initrd)]
        case .pvh:
            boot.image = recipe.elf64
            boot.modules = [.init(path: bundle)]
            boot.commandLine = commandLine
        case .multiboot2:
            guard let iso else { throw DiagnosticError([.error("the book has no GRUB ISO for Multiboot2", at: nil)]) }
            boot.image = iso
        }
        return boot
    }

    /// A Bochs boot of the Linux ISO (the BIOS path: GRUB, swiftboot,
    /// Linux), watching the serial port until the init powers off.
    public func bochsBoot(memory: String = "128M", serialLog: URL? = nil, timeout: Double = 600) throws -> BochsBoot {
        guard let iso else { throw DiagnosticError([.error("the book has no GRUB ISO for Bochs to boot", at: nil)]) }
        guard let mebibytes = BochsBoot.mebibytes(memory) else {
            throw DiagnosticError([.error("memory size \"\(memory)\" is not a number of MiB or a size like 128M or 4G", at: nil)])
        }
        return BochsBoot(iso: iso, memoryMiB: mebibytes, until: [Self.powerOff],
                         failOn: BochsBoot.swiftbootFailures + ["Kernel panic"], watching: .serial, serialLog: serialLog, timeout: timeout)
    }

    private static func bytes(of url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    private static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url, options: .atomic)
    }
}

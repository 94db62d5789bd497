import Foundation

/// The commands that turn a tangled tree into swiftboot's images. Chapter 0
/// explains each flag; the bootloader's sources fix only the file layout:
/// Embedded Swift in `Sources/SwiftBoot/*.swift` plus the host-testable
/// `Sources/SwiftBootCore/*.swift`, assembly in `asm/*.S`, the linker
/// script in `asm/link.ld`. When the chapters define the example kernel,
/// it is built the same way from `Sources/ExampleKernel/*.swift` (plus
/// SwiftBootCore), `asm/kernel/*.S` and `asm/kernel/link.ld`.
///
/// The ELF32 copy may differ from the ELF64 in named places: a
/// non-allocated section `NAME.elf32` in the ELF64 holds the contents that
/// section `NAME` gets in the ELF32 copy; the helper section itself is
/// removed from both images (chapter 7 uses this for the Multiboot1
/// header). When the chapters define `iso/boot/grub/grub.cfg`, the files
/// under `iso/`, the ELF64 as `boot/swiftboot.elf64` and the example kernel
/// as `boot/kernel.elf` become a GRUB rescue ISO, `swiftboot.iso`.
public struct BuildRecipe: Sendable {
    /// The folder holding `Sources/SwiftBoot` and `asm`.
    public var tree: URL
    /// Where objects and images go.
    public var output: URL

    public init(tree: URL, output: URL) {
        self.tree = tree
        self.output = output
    }

    /// One program: its Swift module, its assembly and its linker script.
    struct Program {
        var moduleName: String
        var swiftFolders: [String]
        var asmFolder: String
        var linkerScript: String
        var objectFolder: String
        var image: String
    }

    static let coreFolder = "Sources/SwiftBootCore"
    static let swiftboot = Program(
        moduleName: "SwiftBoot", swiftFolders: ["Sources/SwiftBoot", coreFolder], asmFolder: "asm",
        linkerScript: "asm/link.ld", objectFolder: "obj", image: "swiftboot.elf64"
    )
    static let exampleKernel = Program(
        moduleName: "ExampleKernel", swiftFolders: ["Sources/ExampleKernel", coreFolder], asmFolder: "asm/kernel",
        linkerScript: "asm/kernel/link.ld", objectFolder: "obj/kernel", image: "kernel.elf"
    )

    public var elf64: URL { output.appendingPathComponent(Self.swiftboot.image) }
    public var elf32: URL { output.appendingPathComponent("swiftboot.elf32") }
    /// The GRUB rescue ISO, when the chapters so far define its `grub.cfg`.
    public var iso: URL? {
        FileManager.default.fileExists(atPath: tree.appendingPathComponent(Self.grubConfig).path)
            ? output.appendingPathComponent("swiftboot.iso") : nil
    }
    static let isoFolder = "iso"
    static let grubConfig = "iso/boot/grub/grub.cfg"
    /// A section `NAME` + this suffix holds `NAME`'s contents in the ELF32.
    public static let elf32SectionSuffix = ".elf32"
    /// The example kernel, when the chapters so far define one.
    public var kernel: URL? {
        FileManager.default.fileExists(atPath: tree.appendingPathComponent(Self.exampleKernel.linkerScript).path)
            ? output.appendingPathComponent(Self.exampleKernel.image) : nil
    }

    static let swiftFlags = [
        "-target", "x86_64-unknown-none-elf",
        "-enable-experimental-feature", "Embedded", "-enable-experimental-feature", "Extern",
        "-wmo", "-parse-as-library", "-Osize",
        "-Xcc", "-mno-red-zone", "-Xcc", "-mcmodel=kernel",
        "-Xfrontend", "-disable-stack-protector", "-Xfrontend", "-function-sections",
        "-g", "-Xllvm", "-accel-tables=Disable", "-Xfrontend", "-no-clang-module-breadcrumbs",
    ]
    static let asmFlags = ["--target=x86_64-unknown-none-elf", "-g"]
    static let linkFlags = ["-nostdlib", "-static", "--gc-sections"]

    /// The build in steps, each a list of commands relative to `tree` (so
    /// that diagnostics print short paths). A step is computed when the
    /// steps before it have run: the ELF32 step reads the linked ELF64.
    func steps() throws -> [() throws -> [Command]] {
        guard FileManager.default.fileExists(atPath: tree.appendingPathComponent(Self.swiftboot.linkerScript).path) else {
            throw DiagnosticError([.error("no linker script: no chapter generates \(Self.swiftboot.linkerScript)", at: nil)])
        }
        return [
            { try self.commands(for: Self.swiftboot) },
            { try self.elf32Commands() },
            { self.kernel == nil ? [] : try self.commands(for: Self.exampleKernel) },
            { try self.isoCommands() },
        ]
    }

    /// Every command, in order, computed from the files as they are now (the
    /// ELF32 step from the ELF64 of the last build, if there is one).
    public func commands() throws -> [Command] {
        try steps().flatMap { try $0() }
    }

    /// The ELF32 copy. For every non-allocated section `NAME.elf32` of the
    /// ELF64: save its contents, remove it from the ELF64, and put the
    /// contents into section `NAME` of the copy.
    func elf32Commands() throws -> [Command] {
        let sections = FileManager.default.fileExists(atPath: elf64.path) ? try ELFSection.all(in: elf64) : []
        let replacements = sections.filter { !$0.isAllocated && $0.name.hasSuffix(Self.elf32SectionSuffix) }.map(\.name)
        var commands: [Command] = []
        var update: [String] = []
        for helper in replacements {
            let target = String(helper.dropLast(Self.elf32SectionSuffix.count))
            let contents = output.appendingPathComponent(Self.swiftboot.objectFolder).appendingPathComponent("\(helper).bin").path
            commands.append(Command(.objcopy, ["--dump-section", "\(helper)=\(contents)", "--remove-section", helper, elf64.path], in: tree))
            update += ["--update-section", "\(target)=\(contents)"]
        }
        commands.append(Command(.objcopy, ["-O", "elf32-i386"] + update + [elf64.path, elf32.path], in: tree))
        return commands
    }

    /// The GRUB rescue ISO: copy `iso/` and the images into a staging
    /// folder, then `grub-mkrescue`.
    func isoCommands() throws -> [Command] {
        guard let iso else { return [] }
        let staging = output.appendingPathComponent("iso")
        var copies = [
            Command(.rm, ["-rf", staging.path], in: tree),
            Command(.cp, ["-R", Self.isoFolder, staging.path], in: tree),
            Command(.cp, [elf64.path, staging.appendingPathComponent("boot/swiftboot.elf64").path], in: tree),
        ]
        if let kernel {
            copies.append(Command(.cp, [kernel.path, staging.appendingPathComponent("boot/kernel.elf").path], in: tree))
        }
        return copies + [Command(.grubMkrescue, ["-o", iso.path, staging.path], in: tree)]
    }

    /// Compile every Swift file of the program in one module, assemble
    /// every `.S` file, link with the program's linker script.
    func commands(for program: Program) throws -> [Command] {
        let objects = output.appendingPathComponent(program.objectFolder)
        let swiftSources = try program.swiftFolders.flatMap { try files(in: $0, withExtension: "swift") }
        var commands: [Command] = []
        var objectFiles: [String] = []
        // Only the core: nothing of this program's own is tangled yet.
        if !swiftSources.isEmpty, swiftSources.contains(where: { !$0.hasPrefix(Self.coreFolder) }) {
            let object = objects.appendingPathComponent("\(program.moduleName).o").path
            commands.append(Command(.swiftc, Self.swiftFlags + ["-module-name", program.moduleName] + swiftSources + ["-c", "-o", object], in: tree))
            objectFiles.append(object)
        }
        for source in try files(in: program.asmFolder, withExtension: "S") {
            let name = (source as NSString).lastPathComponent.replacingOccurrences(of: ".S", with: ".o")
            let object = objects.appendingPathComponent(name).path
            commands.append(Command(.clang, Self.asmFlags + ["-c", source, "-o", object], in: tree))
            objectFiles.append(object)
        }
        let image = output.appendingPathComponent(program.image).path
        commands.append(Command(.lld, ["-T", program.linkerScript] + Self.linkFlags + objectFiles + ["-o", image], in: tree))
        return commands
    }

    /// Runs every command; the first failure throws with the tool's
    /// diagnostics, which name chapter lines thanks to the line markers.
    /// A part whose inputs and outputs are as the last successful build of
    /// it left them is skipped (see `BuildStamp`): `book run` after `book
    /// build` starts QEMU at once.
    public func build(log: ((String) -> Void)? = nil) throws {
        for program in [Self.swiftboot, Self.exampleKernel] {
            try FileManager.default.createDirectory(at: output.appendingPathComponent(program.objectFolder), withIntermediateDirectories: true)
        }
        let steps = try steps()
        let parts: [(name: String, steps: ArraySlice<() throws -> [Command]>, inputs: () -> [String], outputs: () -> [URL])] = [
            ("swiftboot", steps[0...1], { self.inputs(of: Self.swiftboot) }, { [self.elf64, self.elf32] }),
            ("kernel", steps[2...2], { self.kernel == nil ? [] : self.inputs(of: Self.exampleKernel) }, { self.kernel.map { [$0] } ?? [] }),
            ("iso", steps[3...3], { self.isoInputs() }, { self.iso.map { [$0] } ?? [] }),
        ]
        for part in parts {
            let stampFile = output.appendingPathComponent(".stamps/\(part.name).stamp")
            let before = BuildStamp.current(inputs: part.inputs(), in: tree, outputs: part.outputs())
            if !part.outputs().isEmpty, RunStamp.load(file: stampFile) == before {
                log?("# \(part.name): up to date")
                continue
            }
            // A build that fails halfway leaves no stamp: the next one runs.
            try? FileManager.default.removeItem(at: stampFile)
            for step in part.steps {
                for command in try step() {
                    log?(command.commandLine)
                    try command.check()
                }
            }
            try BuildStamp.current(inputs: part.inputs(), in: tree, outputs: part.outputs()).save(file: stampFile)
        }
    }

    /// The files a program is built from (relative to `tree`).
    private func inputs(of program: Program) -> [String] {
        let folders = program.swiftFolders + [program.asmFolder]
        return folders.flatMap { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: tree.appendingPathComponent(folder).path)) ?? []
            return names.sorted().map { "\(folder)/\($0)" }.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: tree.appendingPathComponent(path).path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        }
    }

    /// The files under `iso/` and the images the ISO carries.
    private func isoInputs() -> [String] {
        guard iso != nil else { return [] }
        let base = tree.appendingPathComponent(Self.isoFolder)
        var found: [String] = []
        if let enumerator = FileManager.default.enumerator(atPath: base.path) {
            for case let path as String in enumerator { found.append("\(Self.isoFolder)/\(path)") }
        }
        return found.sorted() + [elf64.path] + (kernel.map { [$0.path] } ?? [])
    }

    private func files(in folder: String, withExtension ext: String) throws -> [String] {
        let url = tree.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".\(ext)") && !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }
}

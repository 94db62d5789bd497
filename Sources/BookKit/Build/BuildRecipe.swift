import Foundation

/// The commands that turn a tangled tree into swiftboot's images. Chapter 0
/// explains each flag; the bootloader's sources fix only the file layout:
/// Embedded Swift in `Sources/SwiftBoot/*.swift`, assembly in `asm/*.S`,
/// the linker script in `asm/link.ld`.
public struct BuildRecipe: Sendable {
    /// The folder holding `Sources/SwiftBoot` and `asm`.
    public var tree: URL
    /// Where objects and images go.
    public var output: URL

    public init(tree: URL, output: URL) {
        self.tree = tree
        self.output = output
    }

    public static let swiftFolder = "Sources/SwiftBoot"
    public static let asmFolder = "asm"
    public static let linkerScript = "asm/link.ld"

    public var elf64: URL { output.appendingPathComponent("swiftboot.elf64") }
    public var elf32: URL { output.appendingPathComponent("swiftboot.elf32") }
    var objects: URL { output.appendingPathComponent("obj") }

    static let swiftFlags = [
        "-target", "x86_64-unknown-none-elf",
        "-enable-experimental-feature", "Embedded", "-enable-experimental-feature", "Extern",
        "-wmo", "-parse-as-library", "-Osize",
        "-Xcc", "-mno-red-zone", "-Xcc", "-mcmodel=kernel",
        "-Xfrontend", "-disable-stack-protector", "-Xfrontend", "-function-sections",
        "-g", "-Xllvm", "-accel-tables=Disable", "-Xfrontend", "-no-clang-module-breadcrumbs",
        "-module-name", "SwiftBoot",
    ]
    static let asmFlags = ["--target=x86_64-unknown-none-elf", "-g"]
    static let linkFlags = ["-nostdlib", "-static", "--gc-sections"]

    /// The commands in order, relative to `tree` so that diagnostics print
    /// short paths.
    public func commands() throws -> [Command] {
        let swiftSources = try files(in: Self.swiftFolder, withExtension: "swift")
        let asmSources = try files(in: Self.asmFolder, withExtension: "S")
        var commands: [Command] = []
        var objectFiles: [String] = []
        if !swiftSources.isEmpty {
            let object = objects.appendingPathComponent("SwiftBoot.o").path
            commands.append(Command(.swiftc, Self.swiftFlags + swiftSources + ["-c", "-o", object], in: tree))
            objectFiles.append(object)
        }
        for source in asmSources {
            let name = (source as NSString).lastPathComponent.replacingOccurrences(of: ".S", with: ".o")
            let object = objects.appendingPathComponent(name).path
            commands.append(Command(.clang, Self.asmFlags + ["-c", source, "-o", object], in: tree))
            objectFiles.append(object)
        }
        guard FileManager.default.fileExists(atPath: tree.appendingPathComponent(Self.linkerScript).path) else {
            throw DiagnosticError([.error("no linker script: no chapter generates \(Self.linkerScript)", at: nil)])
        }
        commands.append(Command(.lld, ["-T", Self.linkerScript] + Self.linkFlags + objectFiles + ["-o", elf64.path], in: tree))
        commands.append(Command(.objcopy, ["-O", "elf32-i386", elf64.path, elf32.path], in: tree))
        return commands
    }

    /// Runs every command; the first failure throws with the tool's
    /// diagnostics, which name chapter lines thanks to the line markers.
    public func build(log: ((String) -> Void)? = nil) throws {
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        for command in try commands() {
            log?(command.commandLine)
            try command.check()
        }
    }

    private func files(in folder: String, withExtension ext: String) throws -> [String] {
        let url = tree.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".\(ext)") && !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }
}

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
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build swiftboot and boot it in QEMU (Multiboot1), streaming the debug console.",
        discussion: "Exits 0 when swiftboot reports success through isa-debug-exit."
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Option(help: "Seconds before QEMU is stopped.")
    var timeout: Double = 10

    func run() throws {
        var succeeded = false
        try reportingErrors {
            let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
            report(try codeState.build())
            let result = try codeState.boot(timeout: timeout).run { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            FileHandle.standardError.write(Data("book: \(result.summary)\n".utf8))
            succeeded = result.succeeded
            if FaultTriage.isNeeded(for: result) { try triage(codeState.boot(timeout: timeout), codeState) }
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

import Foundation

/// A checker with `break:` lines: the boot runs under GDB, as
/// `book debug --batch` runs it, and the checker reads both the debug
/// console of that boot and the session's report.
enum ExerciseDebugRun {
    static func run(_ check: ExerciseCheck, boot: QemuBoot, on state: CodeState) throws -> ExerciseResult {
        let session = DebugSession(
            boot: boot, symbolFile: state.recipe.elf64, root: state.book.root,
            breakpoints: try Breakpoint.resolve(check.breakpoints, in: state), prints: check.prints,
            commands: check.gdbCommands, timeout: check.timeout,
            scratch: state.recipe.output.appendingPathComponent("debug-\(check.id)")
        )
        let report = try session.runBatch()
        let console: URL? = check.output == .serial ? boot.serialLog : session.debugConsoleLog
        let output = console.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        let result = QemuBoot.Result(output: output, qemuStatus: 0, timedOut: false)
        var verdict = ExerciseResult(check: check, boot: result, problems: check.problems(with: result, debug: report))
        verdict.debugReport = report
        return verdict
    }
}

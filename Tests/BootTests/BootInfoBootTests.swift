import BookKit
import Foundation
import Testing

/// What swiftboot makes of the boot information it is given, booted for real.
@Suite struct BootInfoBootTests {
    @Test func aCommandLineLongerThan1024BytesIsRefused() throws {
        let state = try builtBook.get()
        var boot = state.boot(timeout: 30)
        boot.commandLine = String(repeating: "x", count: 1100)
        let result = try boot.run()
        #expect(result.qemuStatus == 47, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: error: the command line at 0x"))
        #expect(result.output.contains(" is longer than 1024 bytes\n"))
    }

    @Test func modulesAndTheirStringsAreReported() throws {
        let state = try builtBook.get()
        let module = FileManager.default.temporaryDirectory.appendingPathComponent("module-\(UUID().uuidString).bin")
        try Data(repeating: 0x5A, count: 5000).write(to: module)
        var boot = state.boot(timeout: 30)
        boot.modules = [QemuBoot.Module(path: module, arguments: "first module")] + boot.modules
        boot.commandLine = "hello world"
        let result = try boot.run()
        #expect(result.output.contains("swiftboot.elf32 hello world\"\n"), "\(result.output)")
        #expect(result.output.contains(" \"\(module.path) first module\"\n"), "\(result.output)")
    }
}

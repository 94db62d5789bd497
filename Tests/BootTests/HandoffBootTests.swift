import BookKit
import Foundation
import Testing

/// The hand-off, end to end: what the kernel is given decides how QEMU ends.
@Suite struct HandoffBootTests {
    @Test(arguments: [("exit=0x2a", Int32(0x2a << 1 | 1)), ("exit=18", Int32(18 << 1 | 1))])
    func theKernelsCommandLineChoosesTheExitValue(_ arguments: String, _ status: Int32) throws {
        let state = try builtBook.get()
        var boot = state.boot(timeout: 30)
        boot.modules = [QemuBoot.Module(path: try #require(state.recipe.kernel), arguments: arguments)]
        boot.commandLine = "console=both"
        let result = try boot.run()
        #expect(result.qemuStatus == status, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("kernel: swiftboot's command line \"\(state.recipe.elf32.path) console=both\"\n"), "\(result.output)")
        #expect(result.output.contains("/kernel.elf \(arguments)\"\n"), "\(result.output)")
        #expect(result.output.contains("kernel: all 16 checks passed"), "\(result.output)")
    }

    @Test func theKernelSeesASecondModuleAndItsString() throws {
        let state = try builtBook.get()
        let initrd = FileManager.default.temporaryDirectory.appendingPathComponent("initrd-\(UUID().uuidString).img")
        try Data(repeating: 0xAB, count: 12345).write(to: initrd)
        var boot = state.boot(timeout: 30)
        boot.modules.append(QemuBoot.Module(path: initrd, arguments: "initrd"))
        let result = try boot.run()
        #expect(result.succeeded, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("kernel: modules, 2:\n"), "\(result.output)")
        #expect(result.output.contains(" \"\(initrd.path) initrd\"\n"), "\(result.output)")
    }
}

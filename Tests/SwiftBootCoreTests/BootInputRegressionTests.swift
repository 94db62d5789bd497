import Foundation
import SwiftBootCore
import Testing

/// Every input in Fuzz/boot-regressions (hostile memory maps of all three
/// protocols, and what broke the fuzz target once) passes the checks of
/// Fuzz/run-boot: refused with an error, or loaded without handing out
/// a byte twice or a byte the firmware did not call usable.
@Suite(.serialized) struct BootInputRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/boot-regressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test(arguments: inputs) func passesTheBootInputChecks(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        #expect(BootInputChecks.run(Array(data)) == nil)
    }

    @Test func thereAreRegressionInputsForEveryProtocol() {
        for prefix in ["multiboot1-", "multiboot2-", "pvh-"] {
            #expect(Self.inputs.filter { $0.hasPrefix(prefix) }.count >= 4, "\(prefix)")
        }
    }

    /// The checks can fail: an allocator that took every usable entry on
    /// its own would hand out 1 MiB twice for a map with a duplicate.
    @Test func theChecksSeeMemoryHandedOutTwice() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("multiboot1-duplicates"))
        var boot = try BootInfo.read(magic: BootMagic.multiboot1, address: BootInputChecks.infoAddress, from: {
            _ = BootInputChecks.run(Array(data))  // leaves the input in the machine's memory
            return Machine.shared
        }())
        let loaded = try KernelLoader.load(
            boot: boot, loaderStart: BootInputChecks.loaderStart, loaderEnd: BootInputChecks.loaderEnd, loadOffset: 0,
            trampoline: BootInputChecks.loaderStart, memory: Machine.shared)
        #expect(BootInputChecks.check(loaded, boot: boot, memory: Machine.shared) == nil)
        // The same placements judged against a map that has one more
        // reserved entry right where segment 0 went.
        let segment = try #require(loaded.placements.first)
        boot.memoryMap.append(MemoryRegion(base: segment.physical, length: 4096, kind: .reserved))
        #expect(BootInputChecks.check(loaded, boot: boot, memory: Machine.shared)?.hasPrefix("segment 0 at ") == true)
    }
}

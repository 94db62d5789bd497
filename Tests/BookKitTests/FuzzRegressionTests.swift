import BookKit
import Foundation
import Testing

/// Every input in Fuzz/regressions (what broke the fuzz target once, and a
/// few edge cases) passes the fuzzer's checks.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test(arguments: inputs) func passesTheFuzzChecks(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        #expect(FuzzChecks.run(Array(data)) == [])
    }

    @Test func thereAreRegressionInputs() {
        #expect(Self.inputs.count >= 4)
    }
}

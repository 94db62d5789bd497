import Foundation
import Testing

/// The benchmark's correctness half: on the shared synthetic corpus, `book`
/// produces exactly the expected files (bench/run times it against noweb
/// and Entangled; this test only checks the output, never a time).
@Suite struct BenchCorpusTests {
    @Test func bookTanglesTheSharedCorpusExactly() throws {
        let generator = repositoryRoot.appendingPathComponent("bench/gen_literate_corpus.py")
        try #require(FileManager.default.fileExists(atPath: generator.path), "the corpus generator is missing: expected \(generator.path)")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-corpus-\(UUID().uuidString)")
        let corpus = work.appendingPathComponent("corpus")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", generator.path, "--out", corpus.path, "--docs", "12", "--chunks", "300", "--lines", "3000", "--outputs", "8"]
        python.standardOutput = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "the corpus generator failed")

        let book = work.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: book.appendingPathComponent("chapters"), withDestinationURL: corpus.appendingPathComponent("book"))
        let export = work.appendingPathComponent("export")
        let run = try runBook(["tangle", "--bare", export.path], in: book)
        #expect(run.status == 0, "\(run.output)")

        let expected = corpus.appendingPathComponent("expected")
        let files = try FileManager.default.subpathsOfDirectory(atPath: expected.path).filter { $0.hasSuffix(".c") }
        #expect(files.count == 8)
        for file in files {
            let want = try Data(contentsOf: expected.appendingPathComponent(file))
            let got = try Data(contentsOf: export.appendingPathComponent(file))
            #expect(got == want, "\(file) differs from the corpus's expected output")
        }
    }
}

import BookKit
import Foundation
import Testing

/// The repository this test was built from.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A copy of the book's chapters in a fresh folder, so that tests can
/// tangle, build and break it without touching the repository.
func copyOfTheBook(editing edit: ((inout [String: String]) -> Void)? = nil) throws -> Book {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("book-boot-\(UUID().uuidString)")
    let chapters = root.appendingPathComponent("chapters")
    try FileManager.default.createDirectory(at: chapters, withIntermediateDirectories: true)
    let source = repositoryRoot.appendingPathComponent("chapters")
    var texts: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".md") {
        texts[name] = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
    }
    edit?(&texts)
    for (name, text) in texts {
        try text.write(to: chapters.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    // The pictures chapters show (chapters/images), which the weave copies.
    let images = source.appendingPathComponent("images")
    if FileManager.default.fileExists(atPath: images.path) {
        try FileManager.default.copyItem(at: images, to: chapters.appendingPathComponent("images"))
    }
    // The exercises' reference solutions, which the woven site shows.
    let solutions = repositoryRoot.appendingPathComponent(ExerciseSolution.folder)
    if FileManager.default.fileExists(atPath: solutions.path) {
        try FileManager.default.copyItem(at: solutions, to: root.appendingPathComponent(ExerciseSolution.folder))
    }
    return try Book.load(root: root)
}

/// The chapter file whose name starts with `NN-`.
func chapterName(_ number: Int, in texts: [String: String]) -> String {
    texts.keys.first { $0.hasPrefix(String(format: "%02d-", number)) }!
}

/// The `book` executable that `swift test` built next to the tests.
func bookExecutable() throws -> URL {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [folder, folder.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("book")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw DiagnosticError([.error("the book executable is not built next to the tests (\(folder.path)); run `swift build` first", at: nil)])
}

/// Runs `book ARGS` in `folder`; returns its exit status and output.
func runBook(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try bookExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Compares the sample `name` (a ```` ```console sample=NAME ```` block of
/// the real book) with real output, from the output's first line that
/// starts with `first` (the whole output when nil); `…` matches anything
/// within a line and `⋮` any run of lines, as in transcripts. Nil when
/// they agree; otherwise what differs. SampleTests checks that every
/// sample of the book has a call of this function.
func sampleMismatch(named name: String, output: String, from first: String? = nil) throws -> String? {
    let book = try Book.load(root: repositoryRoot)
    let samples = book.chapters.flatMap { Sample.all(in: $0) }
    let sample = try #require(samples.first { $0.name == name }, "no block in the chapters has sample=\(name)")
    guard let first else { return sample.transcript.mismatch(with: output) }
    guard let printed = output.range(of: first) else { return "the output has no \"\(first)\":\n\(output)" }
    let start = output[..<printed.lowerBound].lastIndex(of: "\n").map { output.index(after: $0) } ?? output.startIndex
    return sample.transcript.mismatch(with: String(output[start...]))
}

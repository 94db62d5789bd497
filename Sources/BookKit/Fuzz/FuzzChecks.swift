import Foundation

/// The checks the fuzzer runs on every input (Fuzz/FuzzTangle.swift), kept
/// in BookKit so that the unit tests replay every input that ever broke
/// them (Fuzz/regressions); `package`, not `public`: they are for this
/// package's tests and fuzz target, not for BookKit's users. `run` returns what failed: the fuzz target
/// traps on it (that is how libFuzzer learns of a failure), the tests
/// report it as an ordinary failed expectation.
///
/// Input layout: chapters separated by NUL bytes (at most four). After the
/// last chapter, an optional part after the byte 0x01 says how to edit the
/// first generated file: its bytes are read as (operation, line, text...)
/// and drive deletions, insertions and replacements of lines.
package enum FuzzChecks {
    package static func run(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ problem: @autoclosure () -> String) {
            if !condition { problems.append(problem()) }
        }
        var input = bytes[...]
        var editPart: ArraySlice<UInt8> = []
        if let marker = input.firstIndex(of: 1) {
            editPart = input[(marker + 1)...]
            input = input[..<marker]
        }
        var chapters: [Chapter] = []
        var log = DiagnosticLog()
        for (index, part) in input.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).enumerated() {
            let path = "chapters/0\(index + 1)-fuzz.md"
            switch Chapter.decode(Data(part), path: path) {
            case .success(let text): chapters.append(Chapter(path: path, number: index + 1, text: text))
            case .failure(let diagnostic): log.report(diagnostic)
            }
        }
        let book = Book(root: URL(fileURLWithPath: "/nonexistent"), chapters: chapters)
        let parsed = ParsedBook(book)
        log.report(contentsOf: parsed.lint)
        log.report(contentsOf: parsed.graphDiagnostics)
        let tangled = Tangler(graph: parsed.graph).tangle(recordingOrigins: true, log: &log)
        for diagnostic in log.all { _ = diagnostic.description }

        // Invariants of the tangle: the same input tangles the same way
        // again (the tangler expands files in parallel), every line has an
        // origin, the checksum header reads back.
        var ignored = DiagnosticLog()
        let again = Tangler(graph: ChunkGraph(chapters: book.chapters, log: &ignored)).tangle(log: &ignored)
        check(again == tangled.map(\.file), "tangling the same chapters twice gave different files")
        for (file, origins) in tangled {
            let lines = file.body.isEmpty ? 0 : file.body.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            check(origins.count == lines, "a line without an origin in \(file.path)")
            check(GeneratedFile.provenance(of: file.contents) == .generated(body: file.body), "checksum round trip of \(file.path)")
        }
        guard !log.hasErrors, let first = tangled.first?.file else { return problems }

        // Sync without edits finds nothing; with an edit it either refuses
        // or gives chapters that tangle into the edited file (the planner
        // checks that itself and throws when it would not).
        let unchanged = try? book.planSync { path in Data(tangled.first { $0.file.path == path }!.file.contents.utf8) }
        check(unchanged?.isEmpty == true, "sync without edits changed something")
        var lines = first.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var edit = editPart.makeIterator()
        while let operation = edit.next(), let where_ = edit.next() {
            let line = Int(where_) % max(lines.count, 1)
            var text: [UInt8] = []
            while let byte = edit.next(), byte != 1 { text.append(byte) }
            let newLine = String(decoding: text, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            switch operation % 3 {
            case 0: if line < lines.count { lines.remove(at: line) }
            case 1: lines.insert(newLine, at: min(line, lines.count))
            default: if line < lines.count { lines[line] = newLine } else { lines.append(newLine) }
            }
        }
        let edited = lines.joined(separator: "\n")
        _ = try? book.planSync { path in
            path == first.path ? Data(edited.utf8) : Data(tangled.first { $0.file.path == path }!.file.contents.utf8)
        }
        return problems
    }
}

import BookKit
import Foundation
import Testing

/// A book held in memory: `(file name, text)` pairs under `chapters/`.
func makeBook(_ chapters: [(String, String)], root: URL = URL(fileURLWithPath: "/nonexistent")) -> Book {
    Book(root: root, chapters: chapters.map { name, text in
        Chapter(path: "chapters/\(name)", number: Chapter.number(fromFileName: name)!, text: text)
    })
}

/// The tangled bodies by path.
func tangle(_ chapters: [(String, String)], upTo: Int? = nil) throws -> [String: String] {
    let files = try makeBook(chapters).tangle(upTo: upTo).files
    return Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.body) })
}

/// The diagnostics of a run that must fail, as printed.
func errors(_ chapters: [(String, String)]) -> [String] {
    do {
        _ = try makeBook(chapters).tangle()
        Issue.record("expected the tangle to fail")
        return []
    } catch let error as DiagnosticError {
        return error.diagnostics.map(\.description)
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

/// A fresh empty folder under the system's temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("book-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let fence = "```"

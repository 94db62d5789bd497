import BookKit
import Foundation
import Testing

/// `book tangle` after chapters changed expands only the files the changed
/// chapters can reach; the others stay as they are on disk.
@Suite struct IncrementalTangleTests {
    /// The generated files on disk (headers included), by path.
    func generated(_ disk: BookOnDisk) throws -> [String: Data] {
        try disk.snapshot().filter { $0.key.hasPrefix("Sources/") || $0.key.hasPrefix("asm/") }
            .filter { $0.value != Data("<folder>".utf8) }
    }

    /// What a tangle from nothing writes for the chapters now on disk.
    func expected(_ disk: BookOnDisk) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try disk.book.tangle().files.map { ($0.path, Data($0.contents.utf8)) })
    }

    /// Random books, then random edits: a code line changed, a block
    /// removed, a chapter added or removed, the whole book replaced. After
    /// every edit the tree holds exactly what a full tangle writes.
    @Test func afterAnyEditTheTreeIsWhatAFullTangleWrites() throws {
        var random = SeededGenerator(state: 0x5EED_0010)
        for _ in 0..<30 {
            let disk = try BookOnDisk(randomBook(&random))
            for _ in 0..<4 {
                var chapters = try disk.book.chapters.map { ($0.path, $0.text) }
                let index = Int.random(in: 0..<chapters.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0, 1:  // one code line changed
                    var lines = chapters[index].1.components(separatedBy: "\n")
                    if let line = lines.indices.filter({ lines[$0].contains("let v") }).randomElement(using: &random) {
                        lines[line] += " + 1"
                    }
                    try disk.write(chapters[index].0, lines.joined(separator: "\n"))
                case 2:  // an append or replace block removed
                    var text = chapters[index].1
                    if let start = text.range(of: " append\n") ?? text.range(of: " replace\n"),
                       let open = text[..<start.lowerBound].range(of: "```", options: .backwards),
                       let close = text[start.upperBound...].range(of: "```\n") {
                        text.removeSubrange(open.lowerBound..<close.upperBound)
                    }
                    try disk.write(chapters[index].0, text)
                case 3:  // a chapter of prose added, or the last chapter removed
                    if chapters.count > 2, Bool.random(using: &random), !chapters.last!.1.contains("chunk=") {
                        try FileManager.default.removeItem(at: disk.root.appendingPathComponent(chapters.removeLast().0))
                    } else {
                        try disk.write(String(format: "chapters/%02d-extra.md", chapters.count + 1), "# More\n\nProse only.\n")
                    }
                default:  // another book altogether
                    for (path, _) in chapters { try FileManager.default.removeItem(at: disk.root.appendingPathComponent(path)) }
                    for (name, text) in randomBook(&random) { try disk.write("chapters/\(name)", text) }
                }
                try disk.tangle()
                #expect(try generated(disk) == expected(disk))
            }
        }
    }

    /// A file the edited chapter cannot reach is not even read: a change
    /// made behind the tool's back (same size, same time) stays.
    @Test func aFileTheEditCannotReachIsNotReadAgain() throws {
        let disk = try BookOnDisk([
            ("01-a.md", "\(fence)asm file=asm/a.S\n<<shared>>\nnop\n\(fence)\n\(fence)asm chunk=shared\npause\n\(fence)\n"),
            ("02-b.md", "\(fence)asm file=asm/b.S\nhlt\n\(fence)\n"),
        ])
        let a = disk.root.appendingPathComponent("asm/a.S")
        var before = stat()
        stat(a.path, &before)
        try disk.write("asm/a.S", try disk.read("asm/a.S").replacingOccurrences(of: "nop", with: "NOP"))
        var times = [before.st_atim, before.st_mtim]
        utimensat(AT_FDCWD, a.path, &times, 0)

        try disk.write("chapters/02-b.md", "\(fence)asm file=asm/b.S\ncli\n\(fence)\n")
        #expect(try disk.tangle() == [.update("asm/b.S")])
        #expect(try disk.read("asm/a.S").contains("NOP"))
        // Editing the chapter that a.S comes from tangles it again.
        try disk.write("chapters/01-a.md", "\(fence)asm file=asm/a.S\n<<shared>>\nnop\n\(fence)\n\(fence)asm chunk=shared\nsti\n\(fence)\n")
        #expect(throws: DiagnosticError.self) { try disk.tangle() }  // the hand edit is found now
        #expect(try disk.tangle(force: true) == [.editedByHand("asm/a.S")])  // overwritten
        #expect(try !disk.read("asm/a.S").contains("NOP"))
    }

    /// A chapter that starts appending to a chunk reaches the files that
    /// include it, though they never named that chapter before.
    @Test func anAppendInAnotherChapterReachesTheFilesThatIncludeTheChunk() throws {
        let disk = try BookOnDisk([
            ("01-a.md", "\(fence)asm file=asm/a.S\n<<shared>>\n\(fence)\n\(fence)asm chunk=shared\npause\n\(fence)\n"),
            ("02-b.md", "\(fence)asm file=asm/b.S\nhlt\n\(fence)\n"),
        ])
        try disk.write("chapters/02-b.md", "\(fence)asm file=asm/b.S\nhlt\n\(fence)\n\(fence)asm chunk=shared append\nnop\n\(fence)\n")
        #expect(try disk.tangle() == [.update("asm/a.S")])
        #expect(try generated(disk) == expected(disk))
        // And taking the append away again reaches a.S through the stamp.
        try disk.write("chapters/02-b.md", "\(fence)asm file=asm/b.S\nhlt\n\(fence)\n")
        #expect(try disk.tangle() == [.update("asm/a.S")])
        #expect(try generated(disk) == expected(disk))
    }
}

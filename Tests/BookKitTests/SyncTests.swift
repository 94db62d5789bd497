import BookKit
import Foundation
import Testing

/// A book written to a fresh folder and tangled into it.
struct BookOnDisk {
    let root: URL

    init(_ chapters: [(String, String)]) throws {
        root = try temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        for (name, text) in chapters {
            try text.write(to: root.appendingPathComponent("chapters/\(name)"), atomically: true, encoding: .utf8)
        }
        try tangle()
    }

    var book: Book { get throws { try Book.load(root: root) } }

    @discardableResult
    func tangle(force: Bool = false) throws -> [OutputTree.Change] {
        try CodeState(book: book).tangle(force: force).changes
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    /// Edits a generated file the way a person does: replaces text.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let text = try read(path)
        #expect(text.contains(old), "the file has no \(old)")
        try write(path, text.replacingOccurrences(of: old, with: new))
    }

    /// The sync's diagnostics, for a sync that must fail.
    func syncErrors() throws -> [String] {
        do {
            try book.sync()
            Issue.record("expected the sync to be refused")
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map(\.description)
        }
    }

    /// Every file of the tree (the hidden .book/ included) and its bytes.
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
        for case let relative as String in walker {
            let path = base + "/" + relative
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            result[relative] = isDirectory.boolValue ? Data("<folder>".utf8) : FileManager.default.contents(atPath: path)
        }
        return result
    }
}

/// The body of a generated file without its header and line markers.
func code(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).filter {
        let line = $0.drop { $0 == " " }
        return !line.hasPrefix("#sourceLocation(") && !line.hasPrefix("#line ") && !(line.hasPrefix("/* chapters/") && line.hasSuffix(" */"))
    }
}

/// The lines two texts differ in, as `-old`/`+new`, in order.
func changedLines(_ old: String, _ new: String) -> [String] {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false)
    var prefix = 0
    while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    return a[prefix..<(a.count - suffix)].map { "-\($0)" } + b[prefix..<(b.count - suffix)].map { "+\($0)" }
}

@Suite struct SyncTests {
    static let swiftChapter = """
        # A

        Some prose with `code`.

        \(fence)swift file=Sources/SwiftBoot/Main.swift
        func main() {
            <<body>>
            done()
        }
        \(fence)

        The body, in two steps:

        \(fence)swift chunk=body
        if ready {
            <<inner>>
        }
        \(fence)

        \(fence)swift chunk=inner
        first()
        second()
        third()
        \(fence)

        """

    /// Tangle, edit the generated file, sync, tangle: the file comes out as
    /// edited, the chapter changes in exactly the edited lines, and the
    /// file is a clean generated file again.
    func roundTrip(
        _ chapters: [(String, String)], file: String, replacing old: String, with new: String,
        chapterChange expected: [String]
    ) throws {
        let disk = try BookOnDisk(chapters)
        let before = try disk.read("chapters/\(chapters[0].0)")
        try disk.edit(file, replacing: old, with: new)
        let edited = try disk.read(file)
        let (plan, _) = try disk.book.sync()
        #expect(!plan.edits.isEmpty)
        let after = try disk.read("chapters/\(chapters[0].0)")
        #expect(changedLines(before, after) == expected)
        #expect(code(try disk.read(file)) == code(edited))
        #expect(try disk.tangle() == [])
        #expect(try OutputTree(root: disk.root).changes(for: disk.book.tangle().files) == [])
        // A second sync finds nothing to do.
        #expect(try disk.book.sync().plan.isEmpty)
    }

    @Test func anEditInTheMiddleOfANestedChunkLosesTheReferencesIndentation() throws {
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "        second()\n", with: "        second(42)\n        andMore()\n",
            chapterChange: ["-second()", "+second(42)", "+andMore()"])
    }

    @Test func editsAtTheStartAndEndOfAPiece() throws {
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "        first()\n", with: "        zeroth()\n        first()\n",
            chapterChange: ["+zeroth()"])
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "        third()\n", with: "        third()\n        fourth()\n",
            chapterChange: ["+fourth()"])
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "    done()\n}\n", with: "    done()\n}\n\nfunc other() {}\n",
            chapterChange: ["+", "+func other() {}"])
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "func main() {\n", with: "@main\nfunc main() {\n",
            chapterChange: ["+@main"])
    }

    @Test func removedLinesAndALineOfTheOuterChunk() throws {
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "        second()\n", with: "",
            chapterChange: ["-second()"])
        try roundTrip(
            [("01-a.md", Self.swiftChapter)], file: "Sources/SwiftBoot/Main.swift",
            replacing: "    if ready {\n", with: "    if ready && steady {\n",
            chapterChange: ["-if ready {", "+if ready && steady {"])
    }

    @Test func assemblyAcrossChaptersGoesToTheRightChapter() throws {
        let chapters = [
            ("01-a.md", "# A\n\n\(fence)asm file=asm/x.S\n_start:\n    <<body>>\n    hlt\n\(fence)\n\n\(fence)asm chunk=body\nnop\n\(fence)\n"),
            ("02-b.md", "# B\n\nMore.\n\n\(fence)asm chunk=body append\npause\n\(fence)\n"),
        ]
        let disk = try BookOnDisk(chapters)
        let first = try disk.read("chapters/01-a.md")
        let second = try disk.read("chapters/02-b.md")
        try disk.edit("asm/x.S", replacing: "    pause\n", with: "    pause\n    cli\n")
        let edited = try disk.read("asm/x.S")
        let (plan, changes) = try disk.book.sync()
        #expect(plan.edits.map(\.description) == [
            "asm/x.S:9: 1 line(s) added -> chapters/02-b.md:7 (chunk \"body\")",
        ])
        #expect(changes == [.update("asm/x.S")])
        #expect(try disk.read("chapters/01-a.md") == first)
        #expect(changedLines(second, try disk.read("chapters/02-b.md")) == ["+cli"])
        #expect(code(try disk.read("asm/x.S")) == code(edited))
        #expect(try disk.tangle() == [])
    }

    @Test func syncWithoutEditsChangesNothing() throws {
        let disk = try BookOnDisk([("01-a.md", Self.swiftChapter)])
        let before = try disk.snapshot()
        let (plan, changes) = try disk.book.sync()
        #expect(plan.isEmpty && changes.isEmpty)
        #expect(try disk.snapshot() == before)
    }

    @Test func anEditThatChangesNoLineStillCleansTheFile() throws {
        let disk = try BookOnDisk([("01-a.md", Self.swiftChapter)])
        let chapter = try disk.read("chapters/01-a.md")
        let file = try disk.read("Sources/SwiftBoot/Main.swift")
        try disk.write("Sources/SwiftBoot/Main.swift", String(file.dropLast()))
        let (plan, changes) = try disk.book.sync()
        #expect(plan.edits.isEmpty && plan.chapterTexts.isEmpty)
        #expect(changes == [.update("Sources/SwiftBoot/Main.swift")])
        #expect(try disk.read("Sources/SwiftBoot/Main.swift") == file)
        #expect(try disk.read("chapters/01-a.md") == chapter)
    }

    @Test func crlfChaptersKeepTheirLineEndings() throws {
        let text = Self.swiftChapter.replacingOccurrences(of: "\n", with: "\r\n")
        let disk = try BookOnDisk([("01-a.md", text)])
        try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "third()", with: "third(3)")
        try disk.book.sync()
        #expect(try disk.read("chapters/01-a.md") == text.replacingOccurrences(of: "third()", with: "third(3)"))
    }

    @Test func blocksInsideListsKeepTheirIndentation() throws {
        let text = "# A\n\n1. A step:\n\n   \(fence)swift file=a.swift\n   let a = 1\n   \(fence)\n"
        let disk = try BookOnDisk([("01-a.md", text)])
        try disk.edit("a.swift", replacing: "let a = 1\n", with: "let a = 1\n\nlet b = 2\n")
        try disk.book.sync()
        #expect(try disk.read("chapters/01-a.md") == "# A\n\n1. A step:\n\n   \(fence)swift file=a.swift\n   let a = 1\n\n   let b = 2\n   \(fence)\n")
        #expect(try disk.tangle() == [])
    }

    @Test func filesWithoutMarkersSyncToo() throws {
        let disk = try BookOnDisk([("01-a.md", "\(fence)sh file=scripts/x.sh\necho one\n<<two>>\n\(fence)\n\(fence)sh chunk=two\necho two\n\(fence)\n")])
        try disk.edit("scripts/x.sh", replacing: "echo two\n", with: "echo two\necho three\n")
        try disk.book.sync()
        #expect(try disk.read("chapters/01-a.md").contains("echo two\necho three\n\(fence)"))
        #expect(try disk.tangle() == [])
    }

    // MARK: Refusals: nothing is written, and the message says why.

    func refused(_ chapters: [(String, String)] = [("01-a.md", SyncTests.swiftChapter)], edit: (BookOnDisk) throws -> Void) throws -> [String] {
        let disk = try BookOnDisk(chapters)
        try edit(disk)
        let before = try disk.snapshot()
        let errors = try disk.syncErrors()
        #expect(try disk.snapshot() == before, "a refused sync changed the tree")
        return errors
    }

    @Test func anEditAcrossTwoBlocksIsRefused() throws {
        let errors = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "        third()\n    #sourceLocation(file: \"chapters/01-a.md\", line: 17)\n    }\n",
                          with: "        third()\n    }\n")
        }
        #expect(errors == [
            """
            Sources/SwiftBoot/Main.swift:11:1: error: the edit changes or removes the line marker at line 11 of the file as tangled; sync needs every marker to know which chunk a line belongs to
            chapters/01-a.md:17:1: note: the marker points here, in chunk "body"
            """,
        ])
        let across = try refused([("01-a.md", "\(fence)sh file=x.sh\necho one\n<<two>>\n\(fence)\n\(fence)sh chunk=two\necho two\n\(fence)\n")]) { disk in
            try disk.edit("x.sh", replacing: "echo one\necho two\n", with: "echo 1\necho 2\n")
        }
        #expect(across == [
            """
            x.sh:3:1: error: the edit spans 2 code blocks; sync writes an edit back only when it stays inside one
            chapters/01-a.md:1:1: note: a block of file "x.sh" starts here
            chapters/01-a.md:5:1: note: a block of chunk "two" starts here
            """,
        ])
    }

    @Test func lostIndentationOfAReferenceIsRefused() throws {
        let errors = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "        second()\n", with: "    second()\n")
        }
        #expect(errors == [
            """
            Sources/SwiftBoot/Main.swift:9:1: error: the edited line is indented less than the reference that included chunk "inner" (8 space(s)); sync cannot tell which indentation to remove
            chapters/01-a.md:20:1: note: chunk "inner" is here
            """,
        ])
    }

    @Test func headerEditsAddedMarkersAndReferencesAreRefused() throws {
        let header = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "// Generated by `book`", with: "// Made by `book`")
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "third()", with: "third(3)")
        }
        #expect(header == [
            """
            Sources/SwiftBoot/Main.swift:1:1: error: the edit changes the file's header (line 1); sync needs the header as book wrote it
            note: restore the line: // Generated by `book` from chapters/01-a.md.
            """,
        ])
        let marker = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "    done()\n", with: "    done()\n#sourceLocation(file: \"x\", line: 1)\n")
        }
        #expect(marker == [
            "Sources/SwiftBoot/Main.swift:15:1: error: the edit adds a line marker; markers are written by book tangle, and sync maps edits through them",
        ])
        let reference = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "    done()\n", with: "    done()\n    <<more>>\n")
        }
        #expect(reference == [
            "Sources/SwiftBoot/Main.swift:15:1: error: the added line <<more>> would be a chunk reference in the chapter; add references in the chapter itself",
        ])
    }

    @Test func anEditAfterAChapterChangeIsRefused() throws {
        let errors = try refused { disk in
            try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "third()", with: "third(3)")
            try disk.edit("chapters/01-a.md", replacing: "first()", with: "first(1)")
        }
        #expect(errors == [
            """
            Sources/SwiftBoot/Main.swift:2:1: error: the chapters have changed since this file was tangled; sync can only map edits onto the chapter text the file was tangled from
            note: undo the chapter change, run `book sync`, then make it again (or move the edit into the chapter by hand)
            """,
        ])
    }

    @Test func aChunkIncludedTwiceMustChangeEverywhere() throws {
        let chapters = [("01-a.md", "\(fence)swift file=a.swift\n<<x>>\n<<x>>\n\(fence)\n\(fence)swift chunk=x\nlet x = 1\n\(fence)\n")]
        let errors = try refused(chapters) { disk in
            let text = try disk.read("a.swift")
            let first = try #require(text.range(of: "let x = 1"))
            try disk.write("a.swift", text.replacingCharacters(in: first, with: "let x = 2"))
        }
        #expect(errors == [
            """
            a.swift:5:1: error: chunk "x" is included 2 times (a.swift:4, a.swift:7) and this edit changes only some of them; make the same edit in every copy, or in the chapter
            chapters/01-a.md:5:1: note: the block is here
            """,
        ])
        // The same edit in both copies is one edit of the chunk.
        let disk = try BookOnDisk(chapters)
        try disk.edit("a.swift", replacing: "let x = 1", with: "let x = 2")
        try disk.book.sync()
        #expect(try disk.read("chapters/01-a.md").contains("let x = 2\n"))
        #expect(try disk.tangle() == [])
    }

    @Test func tangleNamesSyncWhenItRefuses() throws {
        let disk = try BookOnDisk([("01-a.md", Self.swiftChapter)])
        try disk.edit("Sources/SwiftBoot/Main.swift", replacing: "third()", with: "third(3)")
        do {
            try disk.tangle()
            Issue.record("a hand edit was overwritten")
        } catch let error as DiagnosticError {
            #expect(error.description == """
                Sources/SwiftBoot/Main.swift:1:1: error: edited by hand since it was generated; refusing to overwrite it
                note: run `book sync` to move the edit into the chapter that generates it (its header names the chapters), or `book tangle --force` to discard it
                """)
        }
        try disk.tangle(force: true)
        #expect(try disk.read("Sources/SwiftBoot/Main.swift").contains("third()"))
    }
}

import BookKit
import Foundation
import Testing

/// The `book` command on a copy of the real book, as a reader uses it.
@Suite struct BookCommandTests {
    @Test func checkNamesAHandEditedFileAndTangleRefusesToLoseIt() throws {
        let book = try copyOfTheBook()
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        #expect(try runBook(["weave"], in: book.root).status == 0)
        #expect(try runBook(["check"], in: book.root).status == 0)

        let script = book.root.appendingPathComponent("asm/link.ld")
        let edited = try String(contentsOf: script, encoding: .utf8) + "/* a hand edit */\n"
        try edited.write(to: script, atomically: true, encoding: .utf8)

        let check = try runBook(["check"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("asm/link.ld: edited by hand since it was generated\n"))

        let tangle = try runBook(["tangle"], in: book.root)
        #expect(tangle.status == 1)
        #expect(tangle.output.contains("asm/link.ld:1:1: error: edited by hand since it was generated; refusing to overwrite it"))
        #expect(try String(contentsOf: script, encoding: .utf8) == edited)

        #expect(try runBook(["tangle", "--force"], in: book.root).status == 0)
        #expect(try runBook(["check"], in: book.root).status == 0)
    }

    @Test func checkCoversTheWovenSite() throws {
        let book = try copyOfTheBook()
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        let missing = try runBook(["check"], in: book.root)
        #expect(missing.status == 1)
        #expect(missing.output.contains("site/index.html: missing (a chapter generates it)\n"))

        #expect(try runBook(["weave"], in: book.root).status == 0)
        #expect(try runBook(["check"], in: book.root).status == 0)
        let page = book.root.appendingPathComponent("site/index.html")
        try (String(contentsOf: page, encoding: .utf8) + "<p>a hand edit</p>\n").write(to: page, atomically: true, encoding: .utf8)
        let check = try runBook(["check"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("site/index.html: edited by hand since it was generated\n"))
        #expect(try runBook(["weave"], in: book.root).status == 1)
        #expect(try runBook(["weave", "--force"], in: book.root).status == 0)
        #expect(try runBook(["check"], in: book.root).status == 0)
    }

    @Test func checkNamesAFileNoChapterProducesAnyMore() throws {
        let book = try copyOfTheBook()
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        let stale = GeneratedFile(path: "asm/old.S", body: "nop\n", chapters: ["chapters/01-gone.md"])
        try stale.contents.write(to: book.root.appendingPathComponent(stale.path), atomically: true, encoding: .utf8)
        let check = try runBook(["check"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("asm/old.S: generated, but no chapter produces it any more\n"))
    }

    @Test func aBrokenReferenceIsReportedAtItsChapterLine() throws {
        var location = ""
        let book = try copyOfTheBook { texts in
            // Rename the last chunk reference of the last chapter that has one.
            for name in texts.keys.sorted().reversed() {
                var lines = texts[name]!.components(separatedBy: "\n")
                guard let index = lines.lastIndex(where: {
                    let trimmed = $0.trimmingCharacters(in: .whitespaces)
                    return trimmed.hasPrefix("<<") && trimmed.hasSuffix(">>")
                }) else { continue }
                let indent = lines[index].prefix { $0 == " " }.count
                lines[index] = String(repeating: " ", count: indent) + "<<no such chunk>>"
                texts[name] = lines.joined(separator: "\n")
                location = "chapters/\(name):\(index + 1):\(indent + 1)"
                return
            }
        }
        #expect(!location.isEmpty)
        let check = try runBook(["check"], in: book.root)
        #expect(check.status == 1)
        #expect(check.output.contains("\(location): error: undefined chunk \"no such chunk\"\n"))
    }

    @Test func buildSkipsThePartsThatAreUpToDate() throws {
        let book = try copyOfTheBook()
        let first = try runBook(["build", "--verbose"], in: book.root)
        #expect(first.status == 0)
        #expect(first.output.contains("-module-name SwiftBoot") && first.output.contains("-module-name ExampleKernel"))

        let again = try runBook(["build", "--verbose"], in: book.root)
        #expect(again.status == 0)
        #expect(again.output.hasPrefix("# swiftboot: up to date\n# kernel: up to date\n# iso: up to date\n"))
        #expect(!again.output.contains("swiftc"))

        // A comment added to the kernel's code: the kernel and the ISO that
        // carries it are built again, the bootloader is not.
        let chapter = try #require(book.chapters.first { $0.text.contains("\n```swift file=Sources/ExampleKernel/") })
        var lines = chapter.text.components(separatedBy: "\n")
        let fence = try #require(lines.firstIndex { $0.hasPrefix("```swift file=Sources/ExampleKernel/") })
        lines.insert("// built again", at: fence + 1)
        try lines.joined(separator: "\n").write(to: book.root.appendingPathComponent(chapter.path), atomically: true, encoding: .utf8)
        let third = try runBook(["build", "--verbose"], in: book.root)
        #expect(third.status == 0)
        #expect(third.output.contains("# swiftboot: up to date\n"))
        #expect(third.output.contains("-module-name ExampleKernel") && !third.output.contains("-module-name SwiftBoot"))
        #expect(third.output.contains("grub-mkrescue"))
    }

    @Test func aWrongSwiftLineIsReportedAtItsChapterLine() throws {
        var location = ""
        let book = try copyOfTheBook { texts in
            let name = texts.keys.sorted().last { texts[$0]!.contains("@_cdecl(\"swift_main\")") }!
            var lines = texts[name]!.components(separatedBy: "\n")
            let entry = lines.firstIndex { $0.contains("@_cdecl(\"swift_main\")") }!
            let body = lines[entry...].firstIndex { $0.hasSuffix("{") }!
            lines.insert("    let broken: Int = \"swiftboot\"", at: body + 1)
            texts[name] = lines.joined(separator: "\n")
            location = "chapters/\(name):\(body + 2):"
        }
        let build = try runBook(["build"], in: book.root)
        #expect(build.status == 1)
        #expect(build.output.contains("\(location)23: error: cannot convert value of type 'String' to specified type 'Int'"))
    }
}

/// `book sync` and `book watch` on a copy of the real book.
@Suite struct SyncAndWatchCommandTests {
    func read(_ book: Book, _ path: String) throws -> String {
        try String(contentsOf: book.root.appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ book: Book, _ path: String, _ text: String) throws {
        try text.write(to: book.root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    /// The chapter whose text contains `needle`.
    func chapter(containing needle: String, in book: Book) throws -> String {
        try #require(book.chapters.first { $0.text.contains(needle) }).path
    }

    @Test func syncMovesEditsOfSwiftAndAssemblyIntoTheirChapters() throws {
        let book = try copyOfTheBook()
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        #expect(try runBook(["weave"], in: book.root).status == 0)

        // An assembly edit (a changed line and an added one) and a Swift edit
        // (an added line in the middle of a function).
        let asmLine = try #require(try read(book, "asm/entry32.S").split(separator: "\n").first { $0.hasPrefix("#define BOOT_STACK_SIZE") })
        let asmChapter = try chapter(containing: String(asmLine), in: book)
        // The first statement of a function body in Main.swift, found in the
        // chapters (so the test follows the book as it grows).
        let main = try read(book, "Sources/SwiftBoot/Main.swift")
        let swiftLine = try #require(main.split(separator: "\n").map(String.init).first { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return line.hasPrefix("    ") && !line.hasPrefix("     ") && !text.hasPrefix("#") && !text.hasPrefix("//")
                && text.count > 8 && book.chapters.filter { $0.text.contains(text) }.count == 1
        })
        let swiftChapter = try chapter(containing: swiftLine.trimmingCharacters(in: .whitespaces), in: book)
        let before = try Dictionary([asmChapter, swiftChapter].map { ($0, try read(book, $0)) }, uniquingKeysWith: { a, _ in a })

        try write(book, "asm/entry32.S", try read(book, "asm/entry32.S")
            .replacingOccurrences(of: asmLine + "\n", with: "#define BOOT_STACK_SIZE         8192\n#define BOOT_EXTRA 1\n"))
        let edited = try #require(main.range(of: swiftLine + "\n"))
        try write(book, "Sources/SwiftBoot/Main.swift", main.replacingCharacters(in: edited, with: swiftLine + "\n    // synced back\n"))

        let sync = try runBook(["sync"], in: book.root)
        #expect(sync.status == 0, "\(sync.output)")
        #expect(sync.output.contains("asm/entry32.S:"))
        #expect(sync.output.contains("-> \(asmChapter):"))
        #expect(sync.output.contains("Sources/SwiftBoot/Main.swift:"))
        #expect(sync.output.contains("-> \(swiftChapter):"))
        #expect(sync.output.contains("synced 2 edit(s) into"))

        // The chapters changed in exactly the edited lines (the Swift line
        // without the indentation its chunk reference adds).
        let asmChange = ["+#define BOOT_EXTRA 1", "+#define BOOT_STACK_SIZE         8192", "-\(asmLine)"]
        if asmChapter == swiftChapter {
            let changes = changedLinesIgnoringOrder(before[asmChapter]!, try read(book, asmChapter))
            #expect(changes.filter { !$0.hasSuffix("// synced back") } == asmChange.sorted())
            #expect(changes.filter { $0.hasPrefix("+") && $0.hasSuffix("// synced back") }.count == 1)
        } else {
            #expect(changedLinesIgnoringOrder(before[asmChapter]!, try read(book, asmChapter)) == asmChange.sorted())
            let changes = changedLinesIgnoringOrder(before[swiftChapter]!, try read(book, swiftChapter))
            #expect(changes.count == 1 && changes[0].hasPrefix("+") && changes[0].hasSuffix("// synced back"), "\(changes)")
        }
        #expect(try read(book, "Sources/SwiftBoot/Main.swift").contains(swiftLine + "\n    // synced back\n"))
        #expect(try runBook(["weave"], in: book.root).status == 0)
        let check = try runBook(["check"], in: book.root)
        #expect(check.status == 0, "\(check.output)")
        #expect(try runBook(["sync"], in: book.root).output.contains("nothing to sync"))
    }

    @Test func syncRefusesAnEditItCannotPlaceAndChangesNothing() throws {
        let book = try copyOfTheBook()
        #expect(try runBook(["tangle"], in: book.root).status == 0)
        let text = try read(book, "asm/entry32.S")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let marker = try #require(lines.indices.dropFirst(3).first { lines[$0].hasPrefix("#line ") })
        lines.remove(at: marker)
        try write(book, "asm/entry32.S", lines.joined(separator: "\n"))
        let chapters = try book.chapters.map { try read(book, $0.path) }

        let sync = try runBook(["sync"], in: book.root)
        #expect(sync.status == 1)
        #expect(sync.output.contains("asm/entry32.S:\(marker + 1):1: error: the edit changes or removes the line marker at line \(marker + 1) of the file as tangled"))
        #expect(try book.chapters.map { try read(book, $0.path) } == chapters)
        #expect(try read(book, "asm/entry32.S") == lines.joined(separator: "\n"))
    }

    @Test func watchTanglesAgainWhenAChapterChangesAndStopsOnControlC() throws {
        let book = try copyOfTheBook()
        let log = book.root.appendingPathComponent("watch.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try bookExecutable()
        process.arguments = ["watch", "--debounce", "100"]
        process.currentDirectoryURL = book.root
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        func waitFor(_ text: String) -> Bool {
            for _ in 0..<600 {
                if (try? String(contentsOf: log, encoding: .utf8))?.contains(text) == true { return true }
                usleep(50_000)
            }
            return false
        }
        #expect(waitFor("(Ctrl-C stops)"))
        #expect(FileManager.default.fileExists(atPath: book.root.appendingPathComponent("asm/entry32.S").path))
        let asmChapter = try chapter(containing: "#define BOOT_STACK_SIZE", in: book)
        let text = try read(book, asmChapter)
        try write(book, asmChapter, text.replacingOccurrences(of: "#define BOOT_STACK_SIZE         4096", with: "#define BOOT_STACK_SIZE         8192"))
        #expect(waitFor("changed: \(asmChapter)"))
        #expect(waitFor("  asm/entry32.S: differs from what the chapters generate"))
        #expect(try read(book, "asm/entry32.S").contains("#define BOOT_STACK_SIZE         8192"))

        kill(process.processIdentifier, SIGINT)
        for _ in 0..<200 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            Issue.record("book watch did not stop on SIGINT")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("book watch: stopped"))
    }
}

/// The lines two texts differ in, as sorted `-old`/`+new` (a line diff
/// through a common prefix and suffix is enough for one edit per text).
func changedLinesIgnoringOrder(_ old: String, _ new: String) -> [String] {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false)
    var removed = a.map(String.init), added = b.map(String.init)
    for line in Set(a).intersection(b) {
        let common = min(a.filter { $0 == line }.count, b.filter { $0 == line }.count)
        for _ in 0..<common {
            removed.remove(at: removed.firstIndex(of: String(line))!)
            added.remove(at: added.firstIndex(of: String(line))!)
        }
    }
    return (removed.map { "-\($0)" } + added.map { "+\($0)" }).sorted()
}

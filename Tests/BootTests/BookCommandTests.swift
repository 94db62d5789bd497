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

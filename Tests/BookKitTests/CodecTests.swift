@testable import BookKit
import Foundation
import Testing

/// The two formats the tangler writes into every generated file and later
/// reads back: line markers and the checksum header.
@Suite struct LineMarkerTests {
    static let syntaxes: [LineMarker] = [.sourceLocation, .lineDirective, .comment]

    @Test func eachKindOfFileHasItsMarker() {
        let markers = CommentStyle.knownExtensions.map { CommentStyle(path: "x.\($0)")?.lineMarker }
        #expect(markers == [.sourceLocation, .lineDirective, .lineDirective, .lineDirective, .comment, nil, .comment, .comment, nil, nil, nil])
    }

    @Test func everyMarkerReadsBackAsWritten() throws {
        for marker in Self.syntaxes {
            for file in ["chapters/03-long-mode.md", "chapters/01-a.md", "chapters/07-é:ü.md"] {
                for line in [1, 120, 98_765] {
                    let text = marker.render(file: file, line: line)
                    let location = SourceLocation(file: file, line: line)
                    #expect(marker.parse(text) == LineMarker.Parsed(location: location, indent: 0), "\(text)")
                    // Indented like the code after it, except `#line`.
                    let indented = try #require(marker.parse("  \t " + text), "\(text)")
                    #expect(indented.location == location)
                    #expect(indented.indent == (marker == .lineDirective ? 0 : 4))
                }
            }
        }
    }

    @Test func aChapterPathWithBlanksIsNoCommentMarker() {
        // Only the directives take such a path; a comment naming it is an
        // ordinary comment (and stays in a chapter's diff).
        for marker in Self.syntaxes {
            let text = marker.render(file: "chapters/01-a b.md", line: 4)
            #expect(marker.parse(text)?.location == (marker == .comment ? nil : SourceLocation(file: "chapters/01-a b.md", line: 4)))
            #expect(marker.isMarker(text) == (marker != .comment))
        }
    }

    @Test func lineMarkersAreRecognised() {
        for (marker, syntax) in [
            ("#sourceLocation(file: \"chapters/03-long-mode.md\", line: 581)", LineMarker.sourceLocation),
            ("    #sourceLocation()", .sourceLocation),
            ("#line 331 \"chapters/01-the-machine-at-hand-off.md\"", .lineDirective),
            ("/* chapters/01-the-machine-at-hand-off.md:209 */", .comment),
        ] {
            #expect(syntax.isMarker(marker), "\(marker)")
        }
        for code in ["#line", "#linear 1 \"x\"", "/* chapters are nice: 3 */", "// chapters/01-a.md:3", "#define LINE 3"] {
            for syntax in Self.syntaxes {
                #expect(!syntax.isMarker(code), "\(code)")
            }
        }
        #expect(LineMarker.sourceLocation.parse("    #sourceLocation()") == LineMarker.Parsed(location: nil, indent: 4))
    }

    @Test func aFileReadsOnlyItsOwnKindOfMarker() {
        let body = "#line 3 \"chapters/01-a.md\"\n/* chapters/01-a.md:3 */\n#sourceLocation(file: \"chapters/01-a.md\", line: 3)\nnop\n"
        #expect(ChapterChanges.code(of: GeneratedFile(path: "asm/x.S", body: body, chapters: [])) == [
            "/* chapters/01-a.md:3 */", "#sourceLocation(file: \"chapters/01-a.md\", line: 3)", "nop",
        ])
        #expect(ChapterChanges.code(of: GeneratedFile(path: "x.sh", body: body, chapters: [])).count == 4)
    }

    /// Every marker the tangler writes names the chapter line of the line
    /// after it, in every kind of file that has markers.
    @Test func theTanglersMarkersNameTheirLines() throws {
        let book = makeBook([("01-a.md", """
            \(fence)swift file=Sources/Main.swift
            func main() {
                <<body>>
            }
            \(fence)

            \(fence)asm file=asm/a.S
            start:
                <<body>>
            \(fence)

            \(fence)ld file=asm/link.ld
            SECTIONS {
                <<body>>
            }
            \(fence)

            \(fence)swift chunk=body
            work()
            \(fence)
            """)])
        var log = DiagnosticLog()
        let tangled = Tangler(graph: ChunkGraph(chapters: book.chapters, log: &log)).tangle(recordingOrigins: true, log: &log)
        #expect(!log.hasErrors)
        #expect(tangled.count == 3)
        for (file, origins) in tangled {
            let marker = try #require(CommentStyle(path: file.path)?.lineMarker)
            let lines = file.body.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == origins.count)
            for (line, origin) in zip(lines, origins) where origin.kind == .marker {
                let parsed = marker.parse(line)
                #expect(parsed?.location == SourceLocation(file: origin.piece.chapter, line: origin.piece.firstLine + origin.index), "\(line)")
                #expect(parsed?.indent == (marker.isIndented ? origin.indent.count : 0), "\(line)")
            }
        }
    }

    @Test func aSourceMapHandsLinesAfterAResetBackToTheFile() {
        let map = SourceMap(path: "Sources/Main.swift", text: """
            // header
            // header
            #sourceLocation(file: "chapters/01-a.md", line: 10)
            let a = 1
            #sourceLocation()
            let b = 2

            """)
        #expect(map.location(line: 4, column: 5)?.description == "chapters/01-a.md:10:5")
        // The file's own line: the map knows no chapter line for it.
        #expect(map.location(line: 6, column: 5)?.description == "chapters/01-a.md:10:1")
    }
}

@Suite struct GeneratedFileHeaderTests {
    @Test func theHeaderReadsBackAsWritten() throws {
        for path in ["asm/x.S", "Sources/Main.swift", "asm/link.ld", "site/index.html", "iso/boot/grub/grub.cfg", "x.unknown"] {
            for chapters in [[], ["chapters/01-a.md"], ["chapters/01-a.md", "chapters/03-c.md"]] {
                for body in ["", "nop\n", "one\ntwo"] {
                    let header = GeneratedFileHeader.render(path: path, chapters: chapters, body: body)
                    let parsed = try #require(GeneratedFileHeader(parsing: (header + body)[...]), "\(path)")
                    #expect(parsed.lines.joined(separator: "\n") + "\n" == header)
                    #expect(parsed.recordedChecksum == Checksum.hex(of: body))
                    #expect(parsed.body == body)
                    #expect(GeneratedFile(path: path, body: body, chapters: chapters).contents == header + body)
                }
            }
        }
    }

    @Test func textWithoutAHeaderHasNone() {
        for text in ["", "nop\n", "one\ntwo\nthree\n", "# one\n# two book-checksum: 0", "# book-checksum: 0\n# two\nbody\n"] {
            #expect(GeneratedFileHeader(parsing: text[...]) == nil, "\(text)")
        }
    }

    @Test func headersCompareWithoutTheirChecksums() throws {
        let one = try #require(GeneratedFileHeader(parsing: GeneratedFile(path: "asm/x.S", body: "nop\n", chapters: ["chapters/01-a.md"]).contents[...]))
        let two = try #require(GeneratedFileHeader(parsing: GeneratedFile(path: "asm/x.S", body: "hlt\n", chapters: ["chapters/01-a.md"]).contents[...]))
        #expect(one.lines[1] != two.lines[1])
        #expect(one.lines.map(GeneratedFileHeader.withoutChecksum) == two.lines.map(GeneratedFileHeader.withoutChecksum))
        #expect(GeneratedFileHeader.withoutChecksum("// Do not edit. book-checksum: 00ff x") == "// Do not edit. book-checksum:  x")
    }

    /// The first header line names every chapter a file comes from and can
    /// be longer than any fixed amount read from the top of the file.
    @Test func aGeneratedFileWithALongHeaderIsFoundOnDisk() throws {
        let root = try temporaryFolder()
        let chapters = (10...49).map { "chapters/\($0)-a-chapter-with-a-long-name.md" }
        let file = GeneratedFile(path: "asm/old.S", body: "nop\n", chapters: chapters)
        #expect(file.contents.split(separator: "\n")[0].utf8.count > 1024)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("asm"), withIntermediateDirectories: true)
        try file.contents.write(to: root.appendingPathComponent("asm/old.S"), atomically: true, encoding: .utf8)
        #expect(OutputTree(root: root).changes(for: []) == [.remove("asm/old.S")])
    }
}

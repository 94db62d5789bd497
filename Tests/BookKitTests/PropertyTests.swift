@testable import BookKit
import Foundation
import Testing

/// SplitMix64: a small deterministic generator, so every run of the
/// property tests sees the same books.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random but valid book: files and chunks defined, appended to and
/// replaced over a few chapters, chunks including chunks (never in a
/// cycle: chunk i only includes chunks numbered above i), prose between.
func randomBook(_ random: inout SeededGenerator) -> [(String, String)] {
    let chapterCount = Int.random(in: 2...4, using: &random)
    let chunkNames = (0..<6).map { "step \($0)" }
    var defined: [String] = []  // targets as info-string suffixes
    var referenced: Set<Int> = []
    var definedChunks: Set<Int> = []
    var fileCount = 0
    var chapters: [(String, String)] = []

    func body(for chunk: Int?, _ random: inout SeededGenerator) -> String {
        var lines: [String] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: lines.append("")
            case 1, 2:
                let lowest = (chunk ?? -1) + 1
                guard lowest < chunkNames.count else { fallthrough }
                let target = Int.random(in: lowest..<chunkNames.count, using: &random)
                referenced.insert(target)
                lines.append(String(repeating: " ", count: 4 * Int.random(in: 0...2, using: &random)) + "<<\(chunkNames[target])>>")
            default:
                let indent = String(repeating: " ", count: 4 * Int.random(in: 0...1, using: &random))
                lines.append(indent + "let v\(random.next() % 1000) = \(random.next() % 100)")
            }
        }
        return lines.joined(separator: "\n")
    }

    for number in 1...chapterCount {
        var text = "# Chapter \(number)\n\nSome prose \(random.next() % 100).\n\n"
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let choice = Int.random(in: 0..<5, using: &random)
            var info: String
            var chunk: Int?
            if choice == 0 || defined.isEmpty {
                if fileCount < 3, Bool.random(using: &random) || defined.isEmpty {
                    let kind = Int.random(in: 0..<3, using: &random)
                    let path = ["Sources/SwiftBoot/F\(fileCount).swift", "asm/f\(fileCount).S", "asm/f\(fileCount).ld"][kind]
                    info = ["swift", "asm", "ld"][kind] + " file=\(path)"
                    fileCount += 1
                } else if let free = (0..<chunkNames.count).first(where: { !definedChunks.contains($0) }) {
                    info = "swift chunk=\"\(chunkNames[free])\""
                    definedChunks.insert(free)
                    chunk = free
                } else {
                    continue
                }
                defined.append(info)
            } else {
                info = defined.randomElement(using: &random)! + (choice == 4 ? " replace" : " append")
                if let index = chunkNames.firstIndex(where: { info.contains("\"\($0)\"") }) { chunk = index }
            }
            text += "```\(info)\n\(body(for: chunk, &random))\n```\n\nMore prose.\n\n"
        }
        chapters.append((String(format: "%02d-c%d.md", number, number), text))
    }
    // Define every chunk that is included but not defined yet, at the end.
    var last = chapters[chapters.count - 1].1
    var pending = referenced.subtracting(definedChunks).sorted()
    while let next = pending.first {
        pending.removeFirst()
        definedChunks.insert(next)
        let text = body(for: next, &random)
        last += "```swift chunk=\"\(chunkNames[next])\"\n\(text)\n```\n\n"
        pending = referenced.subtracting(definedChunks).sorted()
    }
    chapters[chapters.count - 1].1 = last
    return chapters
}

/// `randomBook` with what expansion treats specially: references that
/// form cycles or name no chunk, tab indentation, code lines that look like
/// line markers, blank lines, and chapter paths a marker cannot name plainly
/// (with a blank, with a carriage return).
func oddRandomBook(_ random: inout SeededGenerator) -> [(String, String)] {
    let oddLines = [
        "<<step 0>>", "    <<step 2>>", "\t<<step 4>>", "<<nowhere>>", "", "\tindented with a tab",
        "#line 7 \"chapters/01-c1.md\"", "/* chapters/02-c2.md:3 */", "#sourceLocation()",
    ]
    return randomBook(&random).map { name, text in
        var lines: [String] = []
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(String(line))
            if line.hasPrefix("```") { inCode.toggle() }
            if inCode, Int.random(in: 0..<4, using: &random) == 0 { lines.append(oddLines.randomElement(using: &random)!) }
        }
        let renamed = [name, name.replacingOccurrences(of: "-c", with: "-c "), name.replacingOccurrences(of: "-c", with: "-c\r")]
        return (renamed.randomElement(using: &random)!, lines.joined(separator: "\n"))
    }
}

@Suite struct PropertyTests {
    @Test func tanglingIsDeterministic() throws {
        var random = SeededGenerator(state: 0x5EED_0001)
        for _ in 0..<200 {
            let chapters = randomBook(&random)
            let first = try makeBook(chapters).tangle().files
            #expect(try makeBook(chapters).tangle().files == first)
        }
    }

    /// The chunk graph reads chapters in the order it is given (an append
    /// applies to what came before), so a book must put them in reading
    /// order whatever order the files came in; this is what makes a tangle
    /// independent of the directory listing.
    @Test func aBookPutsItsChaptersInReadingOrder() throws {
        var random = SeededGenerator(state: 0x5EED_0003)
        for _ in 0..<50 {
            let chapters = randomBook(&random)
            let book = makeBook(chapters.shuffled(using: &random))
            #expect(book.chapters.map(\.number) == book.chapters.map(\.number).sorted())
            #expect(try book.tangle().files == makeBook(chapters).tangle().files)
        }
    }

    /// What the sort above protects: the chunk graph itself reads chapters
    /// in the order it is given. Fed the later chapter first, its append
    /// comes before the definition and is an error (with a note at the
    /// definition); in reading order the file gets both pieces.
    @Test func theChunkGraphReadsChaptersInTheOrderGiven() throws {
        let fence = "```"
        let first = Chapter(path: "chapters/01-a.md", number: 1, text: """
            \(fence)asm file=asm/a.S
            <<body>>
            \(fence)

            \(fence)asm chunk=body
            nop
            \(fence)
            """)
        let second = Chapter(path: "chapters/02-b.md", number: 2, text: """
            \(fence)asm chunk=body append
            hlt
            \(fence)
            """)
        var inOrder = DiagnosticLog()
        let graph = ChunkGraph(chapters: [first, second], log: &inOrder)
        #expect(inOrder.all.isEmpty)
        let files = try Tangler(graph: graph, annotated: false).tangle()
        #expect(files.map(\.body) == ["nop\nhlt\n"])

        var reversed = DiagnosticLog()
        _ = ChunkGraph(chapters: [second, first], log: &reversed)
        #expect(reversed.all.map(\.description) == [
            """
            chapters/02-b.md:1:1: error: cannot append to chunk "body": it is not defined in this or an earlier chapter
            chapters/01-a.md:5:1: note: chunk "body" is defined later, here; a block can only change what comes before it
            """,
        ])
    }

    @Test func syncAfterTangleWithoutEditsIsANoOp() throws {
        var random = SeededGenerator(state: 0x5EED_0002)
        for _ in 0..<25 {
            let disk = try BookOnDisk(randomBook(&random))
            let before = try disk.snapshot()
            let (plan, changes) = try disk.book.sync()
            #expect(plan.isEmpty && changes.isEmpty)
            #expect(try disk.snapshot() == before)
        }
    }

    /// One random edit of one code line of a generated file: sync either
    /// refuses and changes nothing, or the chapters then tangle into the
    /// edited file (markers aside) and the tree is clean again.
    @Test func syncEitherRefusesOrRoundTrips() throws {
        var random = SeededGenerator(state: 0x5EED_0003)
        var synced = 0, refused = 0
        for _ in 0..<60 {
            let disk = try BookOnDisk(randomBook(&random))
            let files = try disk.book.tangle().files
            guard let file = files.randomElement(using: &random) else { continue }
            var lines = try disk.read(file.path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.removeLast()
            let codeLines = lines.indices.dropFirst(2).filter { index in
                let line = lines[index].drop { $0 == " " }
                return !line.hasPrefix("#line ") && !line.hasPrefix("#sourceLocation(") && !line.hasPrefix("/* chapters/")
            }
            guard let index = codeLines.randomElement(using: &random) else { continue }
            let indent = String(lines[index].prefix { $0 == " " })
            switch Int.random(in: 0..<3, using: &random) {
            case 0: lines[index] = indent + "edited()"
            case 1: lines.insert(indent + "inserted()", at: index + Int.random(in: 0...1, using: &random))
            default: lines.remove(at: index)
            }
            let edited = lines.joined(separator: "\n") + "\n"
            try disk.write(file.path, edited)
            let before = try disk.snapshot()
            do {
                try disk.book.sync()
                synced += 1
                #expect(code(try disk.read(file.path)) == code(edited))
                #expect(try disk.tangle() == [])
                #expect(try disk.book.sync().plan.isEmpty)
            } catch let error as DiagnosticError {
                if ProcessInfo.processInfo.environment["SHOW_REFUSALS"] != nil { print(error.description) }
                refused += 1
                #expect(try disk.snapshot() == before)
            }
        }
        if ProcessInfo.processInfo.environment["SHOW_REFUSALS"] != nil { print("synced \(synced), refused \(refused)") }
        #expect(synced > refused)
    }

    /// The site's code states are built chapter by chapter, each file
    /// expanded again only when the chapter changed a chunk it reaches
    /// (`TangleHistory`); every state must hold the code lines of tangling
    /// that state from scratch.
    @Test func incrementalCodeStatesAreTheCodeOfEveryStateTangledAgain() {
        var random = SeededGenerator(state: 0x5EED_0004)
        for round in 0..<80 {
            let book = makeBook(round.isMultiple(of: 2) ? randomBook(&random) : oddRandomBook(&random))
            var history = TangleHistory()
            for (position, chapter) in ParsedChapter.all(book.chapters).enumerated() {
                history.read(chapter)
                var ignored = DiagnosticLog()
                let state = Tangler(graph: ChunkGraph(chapters: Array(book.chapters[...position]), log: &ignored)).tangle(log: &ignored)
                #expect(history.files.map(\.path) == state.map(\.path))
                #expect(history.files.map { $0.code.map { history.pieces.lines[$0] } } == state.map(ChapterChanges.code(of:)))
            }
        }
    }
}

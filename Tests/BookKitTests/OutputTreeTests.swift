import BookKit
import Foundation
import Synchronization
import Testing

@Suite struct OutputTreeTests {
    let chapter = ("01-a.md", "\(fence)asm file=asm/x.S\nnop\n\(fence)\n\(fence)swift file=Sources/SwiftBoot/A.swift\nlet a = 1\n\(fence)\n")

    func read(_ root: URL, _ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func writesOnlyWhatChanged() throws {
        let root = try temporaryFolder()
        let files = try makeBook([chapter]).tangle().files
        let tree = OutputTree(root: root)
        #expect(try tree.write(files) == [.create("Sources/SwiftBoot/A.swift"), .create("asm/x.S")])
        #expect(try tree.write(files) == [])
        #expect(try read(root, "asm/x.S").hasSuffix("#line 2 \"chapters/01-a.md\"\nnop\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("asm").path)
        #expect(leftovers == ["x.S"])
    }

    @Test func refusesToOverwriteAHandEditAndForceDiscardsIt() throws {
        let root = try temporaryFolder()
        let tree = OutputTree(root: root)
        try tree.write(try makeBook([chapter]).tangle().files)
        let edited = try read(root, "asm/x.S") + "hlt\n"
        try edited.write(to: root.appendingPathComponent("asm/x.S"), atomically: true, encoding: .utf8)
        let changed = try makeBook([("01-a.md", chapter.1.replacingOccurrences(of: "nop", with: "pause").replacingOccurrences(of: "a = 1", with: "a = 2"))]).tangle().files
        #expect(tree.changes(for: changed) == [.update("Sources/SwiftBoot/A.swift"), .editedByHand("asm/x.S")].sorted { $0.path < $1.path })
        do {
            try tree.write(changed)
            Issue.record("a hand-edited file was overwritten")
        } catch let error as DiagnosticError {
            #expect(error.description == """
                asm/x.S:1:1: error: edited by hand since it was generated; refusing to overwrite it
                note: run `book sync` to move the edit into the chapter that generates it (its header names the chapters), or `book tangle --force` to discard it
                """)
        }
        // Nothing was written: the other, cleanly changed file is untouched too.
        #expect(try read(root, "asm/x.S") == edited)
        #expect(try read(root, "Sources/SwiftBoot/A.swift").contains("let a = 1"))
        try tree.write(changed, force: true)
        #expect(try read(root, "asm/x.S").hasSuffix("pause\n"))
    }

    @Test func removesFilesNoChapterProducesAndReportsThemInCheck() throws {
        let root = try temporaryFolder()
        let tree = OutputTree(root: root)
        try tree.write(try makeBook([chapter]).tangle().files)
        let fewer = try makeBook([("01-a.md", "\(fence)asm file=asm/x.S\nnop\n\(fence)\n")]).tangle().files
        #expect(tree.changes(for: fewer) == [.remove("Sources/SwiftBoot/A.swift")])
        try tree.write(fewer)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/SwiftBoot/A.swift").path))
    }

    @Test func neverOverwritesAFileItDidNotWrite() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("asm"), withIntermediateDirectories: true)
        try "mine\n".write(to: root.appendingPathComponent("asm/x.S"), atomically: true, encoding: .utf8)
        #expect(throws: DiagnosticError.self) {
            try OutputTree(root: root).write(try makeBook([chapter]).tangle().files)
        }
        #expect(try read(root, "asm/x.S") == "mine\n")
    }
}

@Suite struct RunStampTests {
    /// A book on disk with one chapter.
    func bookOnDisk(_ text: String) throws -> Book {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try text.write(to: root.appendingPathComponent("chapters/01-a.md"), atomically: true, encoding: .utf8)
        return try Book.load(root: root)
    }

    @Test func aSecondRunWithNothingChangedDoesNothingAndEditsAreStillCaught() throws {
        let book = try bookOnDisk("\(fence)asm file=asm/x.S\nnop\n\(fence)\n")
        let state = CodeState(book: book)
        #expect(try state.tangle().changes == [.create("asm/x.S")])
        #expect(FileManager.default.fileExists(atPath: book.root.appendingPathComponent(".book/tangle.stamp").path))
        #expect(try state.tangle().changes == [])

        // A hand edit changes the file's size and time: the stamp no longer
        // matches, the full run sees the edit and refuses.
        let file = book.root.appendingPathComponent("asm/x.S")
        try (String(contentsOf: file, encoding: .utf8) + "hlt\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: DiagnosticError.self) { try state.tangle() }
    }

    @Test func aPathWithSpacesStillMatchesTheStamp() throws {
        // The unused chunk's warning shows whether the run did the work: a
        // run stopped by the stamp reads no chapter and warns about nothing.
        let book = try bookOnDisk("\(fence)asm file=\"asm/two words.S\"\nnop\n\(fence)\n\(fence)asm chunk=spare\nhlt\n\(fence)\n")
        let first = try CodeState(book: book).tangle()
        #expect(first.changes == [.create("asm/two words.S")])
        #expect(first.warnings.map(\.message) == ["chunk \"spare\" is never used"])
        let second = try CodeState(book: book).tangle()
        #expect(second.changes == [] && second.warnings == [])
    }

    @Test func whetherATreeIsTangledIsKnownBeforeReadingTheChapters() throws {
        let book = try bookOnDisk("\(fence)asm file=asm/x.S\nnop\n\(fence)\n")
        #expect(!CodeState.isTangled(root: book.root, chapter: nil))
        try CodeState(book: book).tangle()
        #expect(CodeState.isTangled(root: book.root, chapter: nil))
        // A later chapter is outside the state after chapter 1, not outside the whole book's.
        try "# Two\n".write(to: book.root.appendingPathComponent("chapters/02-b.md"), atomically: true, encoding: .utf8)
        #expect(!CodeState.isTangled(root: book.root, chapter: nil))
        try CodeState(book: Book.load(root: book.root), chapter: 1).tangle()
        #expect(CodeState.isTangled(root: book.root, chapter: 1))
        try "# Two, longer\n".write(to: book.root.appendingPathComponent("chapters/02-b.md"), atomically: true, encoding: .utf8)
        #expect(CodeState.isTangled(root: book.root, chapter: 1))
        try "\(fence)asm file=asm/x.S\npause\n\(fence)\n".write(to: book.root.appendingPathComponent("chapters/01-a.md"), atomically: true, encoding: .utf8)
        #expect(!CodeState.isTangled(root: book.root, chapter: 1))
    }

    @Test func aChapterFileTheLoaderRejectsIsLeftToTheFullRunToReport() throws {
        let book = try bookOnDisk("\(fence)asm file=asm/x.S\nnop\n\(fence)\n")
        try CodeState(book: book).tangle()
        #expect(CodeState.isTangled(root: book.root, chapter: nil))
        try "# Notes\n".write(to: book.root.appendingPathComponent("chapters/notes.md"), atomically: true, encoding: .utf8)
        #expect(!CodeState.isTangled(root: book.root, chapter: nil))
        try FileManager.default.removeItem(at: book.root.appendingPathComponent("chapters/notes.md"))
        try "# Again\n".write(to: book.root.appendingPathComponent("chapters/01-again.md"), atomically: true, encoding: .utf8)
        #expect(!CodeState.isTangled(root: book.root, chapter: nil))
    }

    @Test func aChangedChapterIsTangledAgain() throws {
        let book = try bookOnDisk("\(fence)asm file=asm/x.S\nnop\n\(fence)\n")
        try CodeState(book: book).tangle()
        try "\(fence)asm file=asm/x.S\npause\n\(fence)\n".write(to: book.root.appendingPathComponent("chapters/01-a.md"), atomically: true, encoding: .utf8)
        let reloaded = try Book.load(root: book.root)
        #expect(try CodeState(book: reloaded).tangle().changes == [.update("asm/x.S")])
    }
}

/// A failed or interrupted run leaves the tree as it was.
@Suite(.serialized) struct NoPartialOutputTests {
    let chapter = ("01-a.md", "\(fence)asm file=asm/x.S\nnop\n\(fence)\n\(fence)swift file=Sources/SwiftBoot/A.swift\nlet a = 1\n\(fence)\n")

    @Test func aRunWithAnErrorInTheChaptersChangesNoFile() throws {
        let disk = try BookOnDisk([chapter])
        try disk.write("chapters/01-a.md", chapter.1.replacingOccurrences(of: "nop", with: "nop\n<<missing>>")
            .replacingOccurrences(of: "a = 1", with: "a = 2"))
        let before = try disk.snapshot()
        #expect(throws: DiagnosticError.self) { try disk.tangle() }
        #expect(try disk.snapshot() == before)
    }

    @Test func aRunRefusingAHandEditChangesNoFile() throws {
        let disk = try BookOnDisk([chapter])
        try disk.edit("asm/x.S", replacing: "nop", with: "pause")
        try disk.write("chapters/01-a.md", chapter.1.replacingOccurrences(of: "a = 1", with: "a = 2"))
        let before = try disk.snapshot()
        #expect(throws: DiagnosticError.self) { try disk.tangle() }
        #expect(try disk.snapshot() == before)
    }

    @Test func aWriteThatFailsHalfwayChangesNoFile() throws {
        let disk = try BookOnDisk([chapter])
        try disk.write("chapters/01-a.md", chapter.1.replacingOccurrences(of: "nop", with: "pause")
            + "\(fence)swift file=Sources/Other/B.swift\nlet b = 1\n\(fence)\n\(fence)swift file=zz/blocked/C.swift\nlet c = 1\n\(fence)\n")
        // A plain file where a folder has to be: the last file cannot be written.
        try disk.write("zz", "in the way\n")
        let before = try disk.snapshot()
        do {
            try disk.tangle()
            Issue.record("the write should have failed")
        } catch let error as DiagnosticError {
            #expect(error.description.hasSuffix("; nothing was changed"))
        }
        #expect(try disk.snapshot() == before)
    }

    /// Chapter states tangle side by side under one `build/states` that
    /// none of them finds: each must take the folder another one just
    /// made as it is.
    @Test func batchesMakingTheSameFoldersAtOnceAllSucceed() throws {
        let root = try temporaryFolder()
        let writers = 8
        for round in 0..<25 {
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                var batch = FileBatch()
                batch.write("\(writer)\n", to: root.appendingPathComponent("r\(round)/build/states/\(writer)/asm/entry32.S"))
                do { try batch.commit() } catch { failures.withLock { $0.append("\(error)") } }
            }
            #expect(failures.withLock { $0 } == [], "round \(round)")
            for writer in 0..<writers {
                let file = root.appendingPathComponent("r\(round)/build/states/\(writer)/asm/entry32.S")
                #expect(try String(contentsOf: file, encoding: .utf8) == "\(writer)\n")
            }
        }
    }

    @Test func anInterruptDuringTheRenamesWaitsUntilTheyAreDone() throws {
        let root = try temporaryFolder()
        var batch = FileBatch()
        for name in ["a", "b", "c"] { batch.write("new \(name)\n", to: root.appendingPathComponent("out/\(name).txt")) }
        nonisolated(unsafe) var seenDuringCommit: [Int32] = []
        batch.afterEachStep = {
            raise(SIGINT)
            seenDuringCommit.append(InterruptProbe.count)
        }
        InterruptProbe.install()
        defer { InterruptProbe.uninstall() }
        try batch.commit()
        #expect(seenDuringCommit == [0, 0, 0])
        #expect(InterruptProbe.count == 1)
        for name in ["a", "b", "c"] {
            #expect(try String(contentsOf: root.appendingPathComponent("out/\(name).txt"), encoding: .utf8) == "new \(name)\n")
        }
    }
}

/// Counts SIGINTs instead of ending the test process.
enum InterruptProbe {
    nonisolated(unsafe) static var count: Int32 = 0
    nonisolated(unsafe) static var previous: __sighandler_t?

    nonisolated(unsafe) static var mask = sigset_t()

    /// The test runner's threads may block SIGINT: unblock it on this one.
    static func install() {
        count = 0
        previous = signal(SIGINT) { _ in InterruptProbe.count += 1 }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &mask)
    }

    static func uninstall() {
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        signal(SIGINT, previous)
    }
}

import BookKit
import Foundation
import Synchronization
import Testing

/// Many tools running at once (the boot tests start a QEMU each) must all
/// have their output read as it comes: none may wait for another to end.
@Suite struct CommandTests {
    @Test func sixteenCommandsAtOnceAreAllReadWhileTheyRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let go = folder.appendingPathComponent("go")
        let shell = Tool(name: "sh", installHint: "every Debian has it")
        let count = 16
        let ready = Mutex<Set<Int>>([])
        let results = Mutex<[Int: Command.Result]>([:])
        let finished = DispatchGroup()
        // Each command says "ready", then waits for the go file that we
        // write only once every "ready" has been read while they all run.
        for index in 0..<count {
            finished.enter()
            Thread {
                let command = Command(shell, ["-c", "echo ready \(index); while [ ! -e '\(go.path)' ]; do sleep 0.05; done; echo done"])
                let result = try? command.run(timeout: 300) { text in
                    if text.contains("ready") { _ = ready.withLock { $0.insert(index) } }
                }
                if let result { results.withLock { $0[index] = result } }
                finished.leave()
            }.start()
        }
        let deadline = Date().addingTimeInterval(120)
        while ready.withLock({ $0.count }) < count, Date() < deadline { usleep(20_000) }
        let seen = ready.withLock { $0.count }
        try Data().write(to: go)
        finished.wait()
        #expect(seen == count, "only \(seen) of \(count) commands had their output read while all were running")
        for index in 0..<count {
            let result = results.withLock { $0[index] }
            #expect(result?.output == "ready \(index)\ndone\n" && result?.status == 0 && result?.timedOut == false)
        }
    }

    /// A character whose bytes arrive in two reads is still one character:
    /// the first byte of "€" (E2 82 AC) comes alone, the rest 0.3 s later.
    @Test func aCharacterSplitAcrossReadsArrivesWhole() throws {
        let python = Tool(name: "python3", installHint: "apt-get install python3")
        let script = "import sys, time; o = sys.stdout.buffer; o.write(b'a\\xe2'); o.flush(); time.sleep(0.3); o.write(b'\\x82\\xacb'); o.flush()"
        let pieces = Mutex<[String]>([])
        let result = try Command(python, ["-c", script]).run(timeout: 60) { text in pieces.withLock { $0.append(text) } }
        #expect(result.output == "a€b")
        #expect(pieces.withLock { $0.joined() } == "a€b")
    }
}

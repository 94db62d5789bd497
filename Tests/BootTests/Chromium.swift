import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Headless Chromium driven through the DevTools protocol over a pipe
/// (`--remote-debugging-pipe`): the browser reads JSON commands, each ended
/// by a NUL byte, from file descriptor 3 and writes answers and events to
/// file descriptor 4. No WebSocket, no TCP port, no screen scraping of
/// stderr: console messages, uncaught exceptions and failed loads arrive as
/// typed events (`Runtime.consoleAPICalled`, `Runtime.exceptionThrown`,
/// `Log.entryAdded`), and screenshots, the viewport and the colour scheme
/// are protocol calls. Every wait has a deadline.
final class Chromium {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A console error, an uncaught exception or a failed load.
    struct PageError: CustomStringConvertible {
        var page: String
        var message: String
        var description: String { "\(page): \(message)" }
    }

    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private let profile: URL
    private let log: URL
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session = ""
    private var currentPage = ""
    private(set) var errors: [PageError] = []

    /// The Chromium on PATH, or a failure that says how to install it.
    static func executable() throws -> String {
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        throw Failure(description: """
            headless Chromium is needed for the site's browser tests but none of \(names.joined(separator: ", ")) \
            is on PATH; install the Debian package with `scripts/setup` (apt-get install chromium)
            """)
    }

    /// Starts the browser with a fresh profile and opens one tab.
    init(timeout: TimeInterval = 15) throws {
        let executable = try Self.executable()
        signal(SIGPIPE, SIG_IGN)  // a dead browser must fail a write, not end the tests
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("book-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        log = profile.appendingPathComponent("stderr.txt")

        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard Self.closeOnExecPipe(&toBrowser), Self.closeOnExecPipe(&fromBrowser) else {
            throw Failure(description: "pipe2 failed: \(String(cString: strerror(errno)))")
        }
        let arguments = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio", "--hide-scrollbars", "about:blank",
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)  // its own group: stop() ends its helpers too

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard status == 0 else {
            close(toBrowser[1])
            close(fromBrowser[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        commands = toBrowser[1]
        answers = fromBrowser[0]

        do {
            let target = try send("Target.createTarget", ["url": "about:blank"], timeout: timeout)
            guard let targetID = target["targetId"] as? String else { throw Failure(description: "no targetId in \(target)") }
            let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true], timeout: timeout)
            guard let session = attached["sessionId"] as? String else { throw Failure(description: "no sessionId in \(attached)") }
            self.session = session
            for domain in ["Page", "Runtime", "Log"] { try call("\(domain).enable") }
        } catch {
            stop()
            throw Failure(description: "\(error)\n--- chromium's stderr:\n\(stderrTail)")
        }
    }

    deinit { stop() }

    /// A pipe that processes started elsewhere (QEMU tests run in
    /// parallel) do not inherit; posix_spawn's dup2 clears the flag for 3 and 4.
    private static func closeOnExecPipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        return fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0
    }

    /// The end of what the browser printed, for failure messages.
    var stderrTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.contains("dbus") }.suffix(15).joined(separator: "\n")
    }

    private var stopped = false

    /// Closes the browser; kills it and its helpers if it does not go.
    func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? send("Browser.close", [:], session: nil, timeout: 3)
        close(commands)
        close(answers)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)  // helpers left in the group, if any
        try? FileManager.default.removeItem(at: profile)
    }

    // MARK: Pages

    /// Opens `url` in the tab and waits for its load event (not for a
    /// same-document navigation, which has none).
    func open(_ url: URL, timeout: TimeInterval = 10) throws {
        currentPage = url.absoluteString
        let answer = try call("Page.navigate", ["url": url.absoluteString], timeout: timeout)
        if let error = answer["errorText"] as? String { throw Failure(description: "cannot open \(url): \(error)") }
        guard answer["loaderId"] != nil else { return }
        _ = try waitForEvent("Page.loadEventFired", timeout: timeout)
        // One more round trip, so that what the load handlers logged has arrived.
        _ = try evaluate("0")
    }

    /// The value of a JavaScript expression in the page (JSON-like).
    @discardableResult
    func evaluate(_ expression: String, timeout: TimeInterval = 10) throws -> Any? {
        let answer = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true], timeout: timeout)
        if let exception = answer["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "\(expression) threw: \(Self.describe(exception))")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// The viewport size, and whether the page sees `prefers-color-scheme: dark`.
    func emulate(width: Int, height: Int, dark: Bool) throws {
        try call("Emulation.setDeviceMetricsOverride", [
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
        ])
        try call("Emulation.setEmulatedMedia", [
            "features": [["name": "prefers-color-scheme", "value": dark ? "dark" : "light"]],
        ])
    }

    /// A PNG of the viewport.
    func screenshot() throws -> Data {
        let answer = try call("Page.captureScreenshot", ["format": "png"], timeout: 15)
        guard let base64 = answer["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "Page.captureScreenshot returned no image")
        }
        return data
    }

    // MARK: The protocol

    /// Sends a command to the tab and returns its result.
    @discardableResult
    func call(_ method: String, _ parameters: [String: Any] = [:], timeout: TimeInterval = 10) throws -> [String: Any] {
        try send(method, parameters, session: session, timeout: timeout)
    }

    private func send(_ method: String, _ parameters: [String: Any], session: String? = nil, timeout: TimeInterval) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session, !session.isEmpty { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "\(method): the browser is gone (\(String(cString: strerror(errno))))") }
            written += count
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let answer = try nextMessage(until: deadline, waitingFor: method)
            guard answer["id"] as? Int == id else { continue }
            if let error = answer["error"] as? [String: Any] {
                throw Failure(description: "\(method) failed: \(error["message"] ?? error)")
            }
            return answer["result"] as? [String: Any] ?? [:]
        }
    }

    private func waitForEvent(_ name: String, timeout: TimeInterval) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try nextMessage(until: deadline, waitingFor: name)
            if message["method"] as? String == name { return message }
        }
    }

    /// Reads the next message, recording the errors that events report.
    private func nextMessage(until deadline: Date, waitingFor what: String) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let message = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                record(message)
                return message
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                throw Failure(description: "no answer to \(what) from chromium within the time limit (page: \(currentPage))")
            }
            var poller = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(answers, $0.baseAddress, $0.count) }
            guard count > 0 else {
                throw Failure(description: "chromium closed the pipe while waiting for \(what)\n--- its stderr:\n\(stderrTail)")
            }
            buffer += chunk[..<count]
        }
    }

    private func record(_ message: [String: Any]) {
        guard let method = message["method"] as? String, let parameters = message["params"] as? [String: Any] else { return }
        switch method {
        case "Runtime.consoleAPICalled":
            guard let type = parameters["type"] as? String, type == "error" || type == "assert" else { return }
            let arguments = (parameters["args"] as? [[String: Any]] ?? []).map { argument in
                (argument["value"].map { "\($0)" }) ?? (argument["description"] as? String) ?? "?"
            }
            errors.append(PageError(page: currentPage, message: "console.\(type): \(arguments.joined(separator: " "))"))
        case "Runtime.exceptionThrown":
            let details = parameters["exceptionDetails"] as? [String: Any] ?? [:]
            errors.append(PageError(page: currentPage, message: "uncaught: \(Self.describe(details))"))
        case "Log.entryAdded":
            guard let entry = parameters["entry"] as? [String: Any], entry["level"] as? String == "error" else { return }
            let url = (entry["url"] as? String).map { " (\($0))" } ?? ""
            errors.append(PageError(page: currentPage, message: "\(entry["source"] ?? "log"): \(entry["text"] ?? "")\(url)"))
        default:
            return
        }
    }

    private static func describe(_ details: [String: Any]) -> String {
        let exception = details["exception"] as? [String: Any]
        let text = (exception?["description"] as? String) ?? (details["text"] as? String) ?? "\(details)"
        let line = (details["lineNumber"] as? Int).map { " at line \($0 + 1)" } ?? ""
        return text + line
    }
}

import Foundation

extension QemuBoot {
    /// Boots until the guest prints `line` (a kernel that then holds the
    /// machine still), saves the screen to each of `files` through the
    /// monitor (`screendump`, PNG or PPM by the file's extension) and stops
    /// QEMU. The result's `timedOut` is true when the line never came; the
    /// boot's timeout covers the screenshots too, so give a slow machine room.
    public func runTakingScreenshot(after line: String, to files: [URL]) throws -> Result {
        var boot = self
        let monitor = QemuMonitor(socket: FileManager.default.temporaryDirectory
            .appendingPathComponent("qemu-monitor-\(UUID().uuidString).sock"))
        boot.monitor = monitor
        defer { try? FileManager.default.removeItem(at: monitor.socket) }
        let dumps = files.map { file in
            "screendump \(file.path) -f \(file.pathExtension.lowercased() == "png" ? "png" : "ppm")"
        }
        let watcher = ScreenshotWatcher(line: line) {
            _ = try? monitor.send(dumps + ["quit"])
        }
        return try boot.run(stream: { watcher.append($0) })
    }
}

/// Watches the streamed output for a line and acts once, off the reading
/// thread (the action talks to QEMU, which keeps writing meanwhile).
private final class ScreenshotWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = ""
    private var fired = false
    private let line: String
    private let action: @Sendable () -> Void

    init(line: String, action: @escaping @Sendable () -> Void) {
        self.line = line
        self.action = action
    }

    func append(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !fired else { return }
        seen += text
        guard seen.contains(line) else { return }
        fired = true
        OwnThread.start(action)
    }
}

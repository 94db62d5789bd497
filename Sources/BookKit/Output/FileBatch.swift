import Foundation

/// A set of file writes and removals that happens all together or not at
/// all, as far as a file system allows: every new file is first written to
/// a temporary file beside its destination (a failure there removes the
/// temporary files and changes nothing), then all of them are renamed into
/// place and the removals done in one short step during which SIGINT,
/// SIGTERM and SIGHUP are held back. An interrupted run therefore leaves
/// the tree as it was before or as it is after, never half of each.
public struct FileBatch {
    /// What a write puts into its file: text is turned into bytes when it
    /// is written (on any core); data (an image) is written as it is.
    enum Contents {
        case text(String)
        case data(Data)
    }

    private enum Step {
        case write(URL, Contents)
        case remove(URL)
    }

    private var steps: [Step] = []

    /// Called after each rename of the commit step (tests interrupt there).
    public var afterEachStep: (() -> Void)?

    public init() {}

    public var isEmpty: Bool { steps.isEmpty }

    public mutating func write(_ text: String, to url: URL) {
        steps.append(.write(url, .text(text)))
    }

    mutating func write(_ contents: Contents, to url: URL) {
        steps.append(.write(url, contents))
    }

    public mutating func remove(_ url: URL) {
        steps.append(.remove(url))
    }

    /// Writes every temporary file, then renames them all into place.
    public func commit() throws {
        let manager = FileManager.default
        var staged: [(temporary: URL, destination: URL)] = []
        var createdFolders: [URL] = []
        func undo() {
            for file in staged { try? manager.removeItem(at: file.temporary) }
            // rmdir, not a recursive removal: a folder we made may have
            // been filled meanwhile by another writer, whose files stay.
            for folder in createdFolders.reversed() { rmdir(folder.path) }
        }
        // The folders first, one by one; then the temporary files on every core.
        var writes: [(temporary: URL, destination: URL, contents: Contents)] = []
        for step in steps {
            guard case .write(let url, let contents) = step else { continue }
            do {
                createdFolders += try Self.createFolders(for: url)
            } catch {
                undo()
                throw DiagnosticError([.error("cannot write \(url.path): \(Self.reason(error)); nothing was changed", at: nil)])
            }
            let temporary = url.deletingLastPathComponent()
                .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            writes.append((temporary, url, contents))
        }
        let writeFailures = Parallel.map(writes) { write -> String? in
            writeFile(write.contents, to: write.temporary).map { "cannot write \(write.destination.path): \($0); nothing was changed" }
        }
        staged = writes.map { ($0.temporary, $0.destination) }
        if let failure = writeFailures.compactMap({ $0 }).first {
            undo()
            throw DiagnosticError([.error(failure, at: nil)])
        }

        // The commit step: renames in one directory do not fail for want of
        // space, so what can go wrong here is rare; signals wait until the
        // tree is complete.
        var failures: [Diagnostic] = []
        DeferredSignals.during {
            var next = 0
            for step in steps {
                switch step {
                case .write:
                    let file = staged[next]
                    next += 1
                    if rename(file.temporary.path, file.destination.path) != 0 {
                        failures.append(.error("cannot write \(file.destination.path): \(String(cString: strerror(errno)))", at: nil))
                        try? manager.removeItem(at: file.temporary)
                    }
                case .remove(let url):
                    if unlink(url.path) != 0, errno != ENOENT {
                        failures.append(.error("cannot remove \(url.path): \(String(cString: strerror(errno)))", at: nil))
                    }
                }
                afterEachStep?()
            }
        }
        if !failures.isEmpty { throw DiagnosticError(failures) }
    }

    /// Creates the missing folders above `url`; returns them, outermost first.
    private static func createFolders(for url: URL) throws -> [URL] {
        var missing: [URL] = []
        var folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            missing.append(folder)
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        missing.reverse()
        var created: [URL] = []
        for folder in missing {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            } catch {
                // Another writer (the tangle of a sibling chapter state, say)
                // made the folder since we looked: it is there, and not ours
                // to remove on undo.
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    continue
                }
                for done in created.reversed() { rmdir(done.path) }
                throw error
            }
            created.append(folder)
        }
        return created
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}

/// Writes `contents` into a new file (or over one) at `url`, text straight
/// from the string's bytes; nil, or why it failed.
private func writeFile(_ contents: FileBatch.Contents, to url: URL) -> String? {
    switch contents {
    case .text(var text): text.withUTF8 { writeFile(UnsafeRawBufferPointer($0), to: url) }
    case .data(let data): data.withUnsafeBytes { writeFile($0, to: url) }
    }
}

private func writeFile(_ bytes: UnsafeRawBufferPointer, to url: URL) -> String? {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { return String(cString: strerror(errno)) }
    var failure: String?
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            failure = String(cString: strerror(errno))
            break
        }
        offset += written
    }
    if close(descriptor) != 0, failure == nil { return String(cString: strerror(errno)) }
    return failure
}

/// Holds back SIGINT, SIGTERM and SIGHUP while a short piece of work runs,
/// then delivers the first one that arrived (with the handler that was in
/// place before, usually the default one that ends the process).
enum DeferredSignals {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let lock = NSLock()
    nonisolated(unsafe) static var pending: Int32 = 0

    static func during(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        pending = 0
        // SIG_DFL is a null pointer: nil here, so an array, not a dictionary.
        let previous: [__sighandler_t?] = signals.map { number in
            signal(number) { received in
                if DeferredSignals.pending == 0 { DeferredSignals.pending = received }
            }
        }
        body()
        for (number, handler) in zip(signals, previous) {
            _ = signal(number, handler)
        }
        let arrived = pending
        pending = 0
        if arrived != 0 { raise(arrived) }
    }
}

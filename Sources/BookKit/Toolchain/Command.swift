import Foundation

/// Runs external tools (swiftc, clang, ld.lld, QEMU) and reports a missing
/// one with the package that provides it.
public struct Command: Sendable {
    public var tool: Tool
    public var arguments: [String]
    public var workingDirectory: URL?

    public init(_ tool: Tool, _ arguments: [String], in workingDirectory: URL? = nil) {
        self.tool = tool
        self.arguments = arguments
        self.workingDirectory = workingDirectory
    }

    /// The command as a shell line, for logs and error messages.
    public var commandLine: String {
        ([tool.name] + arguments).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var timedOut: Bool
    }

    /// Runs to completion (or until `timeout` seconds), collecting stdout and
    /// stderr together; `stream` sees the output as it arrives.
    public func run(timeout: Double? = nil, stream: (@Sendable (String) -> Void)? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try tool.locate()
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let collected = OutputBuffer()
        // One reader drains the pipe until end of file (every writer gone),
        // so no output can be lost between the process's exit and our return.
        let reader = pipe.fileHandleForReading
        let drained = DispatchSemaphore(value: 0)
        OwnThread.start {
            UTF8Pieces.read(reader) { text in
                collected.append(text)
                stream?(text)
            }
            drained.signal()
        }
        try process.run()
        let finished = DispatchSemaphore(value: 0)
        OwnThread.start {
            process.waitUntilExit()
            finished.signal()
        }
        var timedOut = false
        if let timeout, finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            // QEMU stuck after a KVM internal error ignores SIGTERM.
            if finished.wait(timeout: .now() + 3) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        } else if timeout == nil {
            finished.wait()
        }
        // A child the process left behind may hold the pipe open: give the
        // reader a moment, then go on with what arrived.
        _ = drained.wait(timeout: .now() + 5)
        return Result(status: process.terminationStatus, output: collected.text, timedOut: timedOut)
    }

    /// Runs and throws with the tool's output when it fails.
    @discardableResult
    public func check() throws -> String {
        let result = try run()
        guard result.status == 0 else {
            throw ToolFailure(command: commandLine, status: result.status, output: result.output)
        }
        return result.output
    }
}

/// A tool that exited with an error; its output is the diagnostic.
public struct ToolFailure: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String

    public var description: String {
        "\(output)\(output.hasSuffix("\n") || output.isEmpty ? "" : "\n")error: command failed with status \(status): \(command)"
    }
}

private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = ""

    func append(_ text: String) {
        lock.lock(); storage += text; lock.unlock()
    }

    var text: String {
        lock.lock(); defer { lock.unlock() }
        return storage
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// QEMU's human monitor on a Unix socket (`-monitor unix:PATH,server=on,
/// wait=off`): the commands a person would type at `(qemu)`, such as
/// `screendump` and `quit`, sent by a program.
public struct QemuMonitor: Sendable {
    public var socket: URL

    public init(socket: URL) {
        self.socket = socket
    }

    /// The `-monitor` arguments that make QEMU listen on `socket`.
    public var arguments: [String] { ["-monitor", "unix:\(socket.path),server=on,wait=off"] }

    static let prompt = "(qemu) "

    /// Sends each command in turn, waiting for the prompt after each (or
    /// for QEMU to close the connection, as `quit` does), and returns what
    /// the monitor answered.
    public func send(_ commands: [String], timeout: Double = 10) throws -> String {
        let descriptor = try connect(timeout: timeout)
        defer { close(descriptor) }
        var answer = try readUntilPrompt(descriptor, timeout: timeout)  // the banner
        for command in commands {
            let line = Array((command + "\n").utf8)
            guard line.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == line.count else {
                throw failure("cannot write \"\(command)\"")
            }
            answer += try readUntilPrompt(descriptor, timeout: timeout)
        }
        return answer
    }

    /// Connects, retrying while QEMU has not created the socket yet.
    private func connect(timeout: Double) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socket.path.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { throw failure("the socket path is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
            buffer[path.count] = 0
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw failure("cannot create a socket") }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 { return descriptor }
            close(descriptor)
            guard Date() < deadline else { throw failure("nothing listens on \(socket.path)") }
            usleep(50_000)
        }
    }

    /// Reads until the answer ends with the prompt or the monitor closes.
    private func readUntilPrompt(_ descriptor: Int32, timeout: Double) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while !String(decoding: bytes, as: UTF8.self).hasSuffix(Self.prompt) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&poller, 1, remaining) > 0 else { throw failure("no answer within \(Int(timeout)) s") }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }  // QEMU closed the connection (quit)
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func failure(_ text: String) -> DiagnosticError {
        DiagnosticError([.error("QEMU's monitor: \(text)", at: nil)])
    }
}

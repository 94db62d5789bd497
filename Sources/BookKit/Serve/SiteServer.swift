import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server for the woven site on 127.0.0.1: GET and
/// HEAD of files under one folder, one thread per connection. While it
/// runs, `tick` is called about every half second on the calling thread
/// (that is where `book serve` re-weaves changed chapters).
public struct SiteServer: Sendable {
    public var folder: URL
    public var port: UInt16

    public init(folder: URL, port: UInt16) {
        self.folder = folder
        self.port = port
    }

    /// Binds the port; throws when it is taken.
    public func listen() throws -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        #if canImport(Glibc)
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw Self.error("socket") }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(socketFD, 64) == 0 else {
            let failure = Self.error("cannot listen on 127.0.0.1:\(port)")
            close(socketFD)
            throw failure
        }
        return socketFD
    }

    /// Serves until the process ends.
    public func run(socket socketFD: Int32, tick: () -> Void) -> Never {
        var lastTick = Date()
        while true {
            var descriptor = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 500)
            if ready > 0 {
                let client = accept(socketFD, nil, nil)
                if client >= 0 {
                    let folder = folder
                    Thread.detachNewThread { Self.serve(client, folder: folder) }
                }
            }
            if Date().timeIntervalSince(lastTick) >= 0.5 {
                tick()
                lastTick = Date()
            }
        }
    }

    static func error(_ what: String) -> DiagnosticError {
        DiagnosticError([.error("\(what): \(String(cString: strerror(errno)))", at: nil)])
    }

    /// Answers one request and closes the connection.
    static func serve(_ client: Int32, folder: URL) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            request += buffer[0..<count]
            if request.count >= 4, request.suffix(4) == [13, 10, 13, 10] { break }
            if let text = String(bytes: request, encoding: .utf8), text.contains("\r\n\r\n") { break }
        }
        let response = self.response(to: String(decoding: request, as: UTF8.self), folder: folder)
        response.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                #if canImport(Glibc)
                let count = send(client, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                #else
                let count = send(client, bytes.baseAddress! + sent, bytes.count - sent, 0)
                #endif
                if count <= 0 { break }
                sent += count
            }
        }
    }

    /// The complete HTTP response to `request` (exposed for tests).
    public static func response(to request: String, folder: URL) -> Data {
        let requestLine = request.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return message(400, "Bad Request", head: false)
        }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else { return message(405, "Method Not Allowed", head: false) }
        let head = method == "HEAD"
        var target = String(parts[1])
        if let query = target.firstIndex(where: { $0 == "?" || $0 == "#" }) { target = String(target[..<query]) }
        guard let path = target.removingPercentEncoding, path.hasPrefix("/") else { return message(400, "Bad Request", head: head) }
        let components = path.split(separator: "/").map(String.init)
        guard !components.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return message(404, "Not Found", head: head) }
        var file = components.reduce(folder) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = file.appendingPathComponent("index.html")
        }
        guard let body = FileManager.default.contents(atPath: file.path) else { return message(404, "Not Found", head: head) }
        return build(200, "OK", type: contentType(of: file.pathExtension), body: body, head: head)
    }

    static func contentType(of fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "txt", "md", "s", "ld", "swift": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    static func message(_ status: Int, _ reason: String, head: Bool) -> Data {
        build(status, reason, type: "text/plain; charset=utf-8", body: Data("\(status) \(reason)\n".utf8), head: head)
    }

    static func build(_ status: Int, _ reason: String, type: String, body: Data, head: Bool) -> Data {
        var data = Data("""
            HTTP/1.1 \(status) \(reason)\r
            Content-Type: \(type)\r
            Content-Length: \(body.count)\r
            Cache-Control: no-cache\r
            Connection: close\r
            \r

            """.utf8)
        if !head { data.append(body) }
        return data
    }
}

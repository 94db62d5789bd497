import Foundation

/// A GDB session on swiftboot in QEMU: QEMU starts halted before the
/// first BIOS instruction with its GDB stub on a loopback TCP port, GDB loads the
/// ELF64's symbols and DWARF (whose line tables name chapter lines), sets
/// hardware breakpoints and either hands the terminal to the reader or
/// runs a script and reports every stop.
public struct DebugSession: Sendable {
    public var boot: QemuBoot
    /// The ELF64 image, with its symbols and line tables.
    public var symbolFile: URL
    /// GDB's working folder: the book's root, so that GDB finds the
    /// chapters when it shows a source line.
    public var root: URL
    public var breakpoints: [Breakpoint]
    /// GDB expressions printed (in hex) at every stop: `$eax`, `$cr3`.
    public var prints: [String]
    /// GDB commands run at every stop: `x/4i $pc`, `monitor info mem`.
    public var commands: [String]
    /// Where a loader moved the image (`symbol-file -o`); nil for none.
    public var loadOffset: Int64?
    /// Seconds before GDB and QEMU are stopped, in batch mode.
    public var timeout: Double
    /// Where the socket, the debug console's output and QEMU's messages go.
    public var scratch: URL

    public init(
        boot: QemuBoot, symbolFile: URL, root: URL, breakpoints: [Breakpoint], prints: [String] = [], commands: [String] = [],
        loadOffset: Int64? = nil, timeout: Double = 30, scratch: URL
    ) {
        self.boot = boot
        self.symbolFile = symbolFile
        self.root = root
        self.breakpoints = breakpoints
        self.prints = prints
        self.commands = commands
        self.loadOffset = loadOffset
        self.timeout = timeout
        self.scratch = scratch
    }

    /// x86 has four debug address registers: at most four hardware
    /// breakpoints at once.
    public static let maximumBreakpoints = 4

    /// QEMU's monitor during a session (`nc -U` or `socat - UNIX-CONNECT:` it).
    public var monitorSocket: URL {
        let socket = scratch.appendingPathComponent("monitor.sock")
        // A Unix socket's path has room for 107 bytes; a deep scratch folder
        // (a test's workspace) gets one in the temporary folder instead.
        guard socket.path.utf8.count >= 100 else { return socket }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the scratch path
        for byte in scratch.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return URL(fileURLWithPath: "/tmp/book-monitor-\(String(hash, radix: 16)).sock")
    }

    /// The debug console's output of the last session.
    public var debugConsoleLog: URL { scratch.appendingPathComponent("debugcon.log") }

    /// The registers `--print eax` may name without a `$`.
    static let registerNames: Set<String> = {
        var names: Set<String> = ["rip", "eip", "pc", "sp", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
                                  "cr0", "cr2", "cr3", "cr4", "cr8", "efer", "fs_base", "gs_base"]
        for name in ["ax", "bx", "cx", "dx", "si", "di", "bp", "sp"] { names.formUnion(["r" + name, "e" + name, name]) }
        for number in 8...15 { names.formUnion(["r\(number)", "r\(number)d"]) }
        return names
    }()

    static func expression(_ print: String) -> String {
        registerNames.contains(print.lowercased()) ? "$" + print.lowercased() : print
    }

    /// A free TCP port on the loopback interface, for QEMU's GDB stub. (A
    /// Unix socket would be GDB's alternative, but GDB treats one as a
    /// serial line: a long `monitor info tlb` answer then takes minutes.)
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DiagnosticError([.error("cannot create a socket for GDB", at: nil)]) }
        defer { close(descriptor) }
        var address = loopback(port: 0)  // port 0: the kernel picks a free one
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw DiagnosticError([.error("cannot find a free TCP port for GDB", at: nil)]) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// 127.0.0.1:`port` as the socket calls want it.
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    /// Whether something listens on `port` of 127.0.0.1, from the kernel's
    /// table of TCP sockets. (Connecting to find out would cost QEMU's stub
    /// a connection of its own: with many sessions at once, GDB could then
    /// come while the stub still drops the probe, and find no program.)
    static func isListening(_ port: Int) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return false }
        let local = "0100007F:" + String(format: "%04X", port)
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            // sl, local_address, rem_address, st: 0A is LISTEN.
            return fields.count > 3 && fields[1] == local && fields[3] == "0A"
        }
    }

    /// GDB's commands up to the breakpoints (both modes).
    func setupCommands(port: Int) -> [String] {
        var commands = [
            "set pagination off", "set confirm off", "set width 0",
            // The ELF64 says so already; the stub of qemu-system-x86_64
            // always sends 64-bit registers, also while the CPU runs 32-bit
            // code (EAX is then the low half of RAX).
            "set architecture i386:x86-64",
        ]
        if let loadOffset {
            commands.append("symbol-file -o \(loadOffset) \(symbolFile.path)")
        }
        commands.append("target remote 127.0.0.1:\(port)")
        // Hardware breakpoints compare linear addresses in the CPU's debug
        // registers: they work before paging is on and survive the image
        // being copied into memory after GDB connected.
        commands += breakpoints.map { "hbreak \($0.gdbLocation)" }
        return commands
    }

    static let stopMarker = "@@book-stop"
    static let continueMarker = "@@book-continue"
    static let printMarker = "@@book-print "
    static let commandMarker = "@@book-command "
    static let endMarker = "@@book-end"

    /// The scripted part of a batch session: continue, report, once per
    /// breakpoint.
    func batchCommands() -> [String] {
        var script: [String] = []
        for _ in breakpoints {
            script += ["echo \(Self.continueMarker)\\n", "continue"]
            script.append("printf \"\(Self.stopMarker) %#lx %#lx %#lx\\n\", $pc, $cr0, $efer")
            for print in prints {
                script += ["echo \(Self.printMarker)\(print)\\n", "output/x \(Self.expression(print))", "echo \\n"]
            }
            for command in commands {
                script += ["echo \(Self.commandMarker)\(command)\\n", command]
            }
            script.append("echo \(Self.endMarker)\\n")
            // Each breakpoint stops once: the next `continue` goes on to the others.
            script.append("delete $_hit_bpnum")
        }
        return script + ["kill"]
    }

    /// Starts QEMU halted, with its GDB stub on `port` and the debug
    /// console going to `debugConsoleLog`.
    private func startQemu(port: Int) throws -> BackgroundProcess {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try boot.validate()
        var boot = self.boot
        boot.extraArguments += [
            "-chardev", "socket,id=gdbstub,host=127.0.0.1,port=\(port),server=on,wait=off", "-gdb", "chardev:gdbstub", "-S",
            // QEMU's own monitor, for answers too long for GDB's `monitor`.
            "-monitor", "unix:\(monitorSocket.path),server=on,wait=off",
        ]
        let qemu = try BackgroundProcess(
            .qemu, boot.arguments, output: debugConsoleLog, errors: scratch.appendingPathComponent("qemu.log")
        )
        // Wait until QEMU listens (a probe connection is harmless: the
        // stub serves whoever connects next).
        let deadline = Date().addingTimeInterval(10)
        while !Self.isListening(port) {
            guard qemu.isRunning, Date() < deadline else {
                qemu.stop()
                let messages = (try? String(contentsOf: scratch.appendingPathComponent("qemu.log"), encoding: .utf8)) ?? ""
                throw DiagnosticError([.error("QEMU did not open its GDB stub at 127.0.0.1:\(port)\(messages.isEmpty ? "" : ": \(messages)")", at: nil)])
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return qemu
    }

    /// Runs GDB with the reader at the keyboard; returns GDB's status.
    public func runInteractive() throws -> Int32 {
        let port = try Self.freePort()
        let qemu = try startQemu(port: port)
        defer { qemu.stop() }
        var arguments = ["-q", "-nx"]
        for command in setupCommands(port: port) { arguments += ["-ex", command] }
        arguments.append(symbolFile.path)
        let gdb = Process()
        gdb.executableURL = try Tool.gdb.locate()
        gdb.arguments = arguments
        gdb.currentDirectoryURL = root
        fflush(nil)
        // Ctrl-C is for GDB (it stops the guest); book and QEMU ignore it.
        signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, SIG_DFL) }
        try gdb.run()
        gdb.waitUntilExit()
        return gdb.terminationStatus
    }

    /// One stop of a batch session.
    public struct Stop: Sendable {
        public var breakpoint: Breakpoint?
        public var pc: UInt64
        public var cr0: UInt64
        public var efer: UInt64
        public var place: AddressLookup.Result?
        /// (expression, value or GDB's error), in the order asked.
        public var prints: [(String, String)]
        /// (command, its output).
        public var commands: [(String, String)]

        /// What the control registers say about the processor's mode.
        public var mode: String {
            if cr0 & 1 == 0 { return "real mode" }
            if efer & (1 << 10) != 0 { return "long mode, paging on" }
            return "32-bit protected mode, paging \(cr0 & (1 << 31) != 0 ? "on" : "off")"
        }
    }

    public struct BatchReport: Sendable {
        public var breakpoints: [Breakpoint]
        public var stops: [Stop]
        /// Why the session ended before every breakpoint was hit, if it did.
        public var ending: String?
        /// GDB's whole output, for when something went wrong.
        public var gdbOutput: String

        public var description: String {
            var lines: [String] = []
            for breakpoint in breakpoints where breakpoint.note != nil {
                lines.append("breakpoint \(breakpoint.request)" + (breakpoint.note.map { ": \($0)" } ?? ""))
            }
            for stop in stops {
                var head = String(format: "stopped at 0x%llx", stop.pc)
                if let frame = stop.place?.frames.first {
                    head += " in \(frame.function)"
                    head += frame.location.map { " at \($0.file):\($0.line)" } ?? " (no line information)"
                    for outer in stop.place!.frames.dropFirst() {
                        head += ", inlined into \(outer.function)" + (outer.location.map { " at \($0.file):\($0.line)" } ?? "")
                    }
                } else if let nearest = stop.place?.nearestSymbol {
                    head += " in \(nearest.name)" + (nearest.offset == 0 ? "" : String(format: "+0x%llx", nearest.offset))
                }
                lines.append(head)
                lines.append("  \(stop.mode)")
                for (expression, value) in stop.prints { lines.append("  \(expression) = \(value)") }
                for (command, output) in stop.commands {
                    lines.append("  (gdb) \(command)")
                    lines += output.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
                }
            }
            if let ending { lines.append(ending) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Runs the scripted session: GDB stops at each breakpoint once and
    /// reports; QEMU and GDB are always ended.
    public func runBatch() throws -> BatchReport {
        let report = try runBatchOnce()
        // GDB that never saw the processor at the reset vector (its
        // connection to the stub failed, as can happen when many sessions
        // start at once) gets one more session on a new port.
        if report.stops.isEmpty, !report.gdbOutput.contains("0x000000000000fff0 in ?? ()") {
            return try runBatchOnce()
        }
        return report
    }

    private func runBatchOnce() throws -> BatchReport {
        guard breakpoints.count <= Self.maximumBreakpoints else {
            throw DiagnosticError([.error("at most \(Self.maximumBreakpoints) breakpoints: the processor has four debug address registers", at: nil)])
        }
        let port = try Self.freePort()
        let qemu = try startQemu(port: port)
        defer { qemu.stop() }
        var arguments = ["-q", "-nx", "-batch"]
        for command in setupCommands(port: port) + batchCommands() { arguments += ["-ex", command] }
        arguments.append(symbolFile.path)
        // GDB can block for good in a write to QEMU's stub (a long `monitor`
        // answer stalls QEMU 7.2's stub), and then ignores SIGTERM: on a
        // timeout QEMU goes first, then GDB, with SIGKILL if need be.
        let transcript = scratch.appendingPathComponent("gdb.log")
        let gdb = try BackgroundProcess(.gdb, arguments, output: transcript, errors: nil, in: root)
        let finished = gdb.wait(timeout: timeout)
        if !finished {
            qemu.stop()
            gdb.stop()
        }
        var report = try parse((try? String(contentsOf: transcript, encoding: .utf8)) ?? "")
        if !finished { report.ending = "GDB and QEMU were stopped after \(Int(timeout)) seconds" }
        return report
    }

    func parse(_ output: String) throws -> BatchReport {
        var stops: [Stop] = []
        var ending: String?
        // QEMU's monitor answers with \r\n, which Swift reads as one character.
        let output = output.replacingOccurrences(of: "\r\n", with: "\n")
        let segments = output.components(separatedBy: Self.continueMarker + "\n").dropFirst()
        for segment in segments {
            let lines = segment.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let stopIndex = lines.firstIndex(where: { $0.hasPrefix(Self.stopMarker + " ") }) else {
                let said = lines.filter { !$0.hasPrefix("@@") && !$0.isEmpty }.prefix(3).joined(separator: "; ")
                ending = "swiftboot did not reach another breakpoint" + (said.isEmpty ? "" : " (GDB: \(said))")
                break
            }
            let values = lines[stopIndex].split(separator: " ").dropFirst().map { UInt64($0.dropFirst(2), radix: 16) ?? 0 }
            var stop = Stop(
                breakpoint: nil, pc: values.count > 0 ? values[0] : 0, cr0: values.count > 1 ? values[1] : 0,
                efer: values.count > 2 ? values[2] : 0, place: nil, prints: [], commands: []
            )
            // Which breakpoint: GDB's "Breakpoint N, ..." line.
            for line in lines[..<stopIndex] where line.hasPrefix("Breakpoint ") || line.hasPrefix("Hardware") {
                if let number = Int(line.split(separator: " ").dropFirst().first?.trimmingCharacters(in: CharacterSet(charactersIn: ",")) ?? ""),
                   number >= 1, number <= breakpoints.count {
                    stop.breakpoint = breakpoints[number - 1]
                }
            }
            var index = stopIndex + 1
            while index < lines.count, lines[index] != Self.endMarker {
                let line = lines[index]
                if line.hasPrefix(Self.printMarker) || line.hasPrefix(Self.commandMarker) {
                    let isPrint = line.hasPrefix(Self.printMarker)
                    let name = String(line.dropFirst(isPrint ? Self.printMarker.count : Self.commandMarker.count))
                    var body: [String] = []
                    index += 1
                    while index < lines.count, !lines[index].hasPrefix("@@book-") {
                        body.append(lines[index])
                        index += 1
                    }
                    while body.last == "" { body.removeLast() }
                    if isPrint {
                        stop.prints.append((name, body.joined(separator: " ")))
                    } else {
                        stop.commands.append((name, body.joined(separator: "\n")))
                    }
                    continue
                }
                index += 1
            }
            stops.append(stop)
        }
        if !stops.isEmpty {
            let lookup = try AddressLookup(image: symbolFile)
            let places = try lookup.lookUp(stops.map(\.pc), loadOffset: loadOffset ?? 0)
            for index in stops.indices { stops[index].place = places[index] }
        }
        return BatchReport(breakpoints: breakpoints, stops: stops, ending: ending, gdbOutput: output)
    }
}

/// A process that runs while we do other things (QEMU under GDB), with
/// its output in files; `stop` ends it for sure.
final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()

    /// `errors` nil: stderr goes to `output` too.
    init(_ tool: Tool, _ arguments: [String], output: URL, errors: URL?, in folder: URL? = nil) throws {
        process.executableURL = try tool.locate()
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        process.standardOutput = outputHandle
        if let errors {
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errors)
        } else {
            process.standardError = outputHandle
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Whether it ended within `timeout` seconds.
    func wait(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it is still there after two seconds.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

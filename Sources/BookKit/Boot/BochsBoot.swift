import Foundation

extension Tool {
    /// Debian's `bochs` is a shell script that runs `bochs-bin -q` with exec,
    /// so the process we start is Bochs itself.
    public static let bochs = Tool(name: "bochs", installHint: "apt-get install bochs bochsbios vgabios")
}

/// Boots a BIOS CD image (the GRUB rescue ISO) in Bochs, headless: a second
/// PC, written independently of QEMU, that interprets every instruction.
///
/// Bochs has no isa-debug-exit device, so the boot has no exit status. The
/// runner watches instead: the debug console (port 0xE9, Bochs's
/// `port_e9_hack`) or the serial port for a line that says the boot
/// succeeded (`until`) or failed (`failOn`), and Bochs's log for the write
/// to the exit port 0xf4 (the unmapped-port device reports it), for the
/// processor halting with interrupts off, and for Bochs's own errors. The
/// first of these, Bochs ending by itself, or the timeout ends the boot.
public struct BochsBoot: Sendable {
    /// Which of the guest's outputs `until` and `failOn` are looked for in.
    public enum Console: String, Sendable {
        /// Port 0xE9, where swiftboot and the example kernel write.
        case debugConsole
        /// COM1 (a Linux kernel's `console=ttyS0`); kept in `serialLog`.
        case serial
    }

    /// The CD image Bochs boots from (its BIOS's El Torito boot).
    public var iso: URL
    /// The guest's memory in MiB (`memory: guest=`).
    public var memoryMiB: Int
    /// One of `bochs --help cpu`.
    public var cpuModel: String
    /// A line containing one of these ends the boot with success.
    public var until: [String]
    /// A line containing one of these ends the boot with failure.
    public var failOn: [String]
    /// Where `until` and `failOn` are looked for.
    public var watching: Console
    /// Where COM1's output goes; nil: a file in the run's folder, removed
    /// afterwards (its text is in the result).
    public var serialLog: URL?
    /// Seconds (of the host's time) before Bochs is stopped.
    public var timeout: Double
    /// Emulated instructions per emulated second. With `clock: sync=none`
    /// it only sets how fast the emulated clock runs against instructions;
    /// the BIOS's waits are in emulated time, so a lower value boots sooner.
    public var instructionsPerSecond: Int
    /// More bochsrc lines, appended to the generated ones.
    public var extraConfiguration: [String]

    /// The default success line: the example kernel's last one (chapter 11).
    public static let exampleKernelSuccess = "kernel: all 16 checks passed, exit value 0x10"
    /// The lines swiftboot and the example kernel print when they give up.
    public static let swiftbootFailures = [
        "swiftboot: error:", "swiftboot: CPU exception", " checks failed, exit value ", "kernel: cannot ",
    ]

    /// Debian's BIOS (package bochsbios) and VGA BIOS (package vgabios).
    public static let romImage = URL(fileURLWithPath: "/usr/share/bochs/BIOS-bochs-latest")
    public static let vgaRomImage = URL(fileURLWithPath: "/usr/share/vgabios/vgabios.bin")
    /// Bochs allocates the host side of the guest's memory in blocks as the
    /// guest touches it, up to this many MiB (its `host=` limit).
    public static let maximumHostMemoryMiB = 2048

    public init(
        iso: URL, memoryMiB: Int = 128, cpuModel: String = "corei7_skylake_x",
        until: [String] = [BochsBoot.exampleKernelSuccess], failOn: [String] = BochsBoot.swiftbootFailures,
        watching: Console = .debugConsole, serialLog: URL? = nil, timeout: Double = 60,
        instructionsPerSecond: Int = 10_000_000, extraConfiguration: [String] = []
    ) {
        self.iso = iso
        self.memoryMiB = memoryMiB
        self.cpuModel = cpuModel
        self.until = until
        self.failOn = failOn
        self.watching = watching
        self.serialLog = serialLog
        self.timeout = timeout
        self.instructionsPerSecond = instructionsPerSecond
        self.extraConfiguration = extraConfiguration
    }

    /// A memory size the way QEMU's `-m` takes it ("128M", "4G", "512",
    /// which is MiB), in MiB; nil when it is not one.
    public static func mebibytes(_ size: String) -> Int? {
        let text = size.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("G", 1024), ("M", 1), ("GB", 1024), ("MB", 1), ("GIB", 1024), ("MIB", 1)]
        for (suffix, factor) in units.sorted(by: { $0.0.count > $1.0.count }) where text.hasSuffix(suffix) {
            return Int(text.dropLast(suffix.count)).flatMap { $0 > 0 ? $0 * factor : nil }
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// The bochsrc for a run whose log and serial output go to `log` and
    /// `serial`.
    public func configuration(log: URL, serial: URL) -> String {
        var lines = [
            "# Written by `book` (BochsBoot): boot \(iso.lastPathComponent) headless.",
            "memory: guest=\(memoryMiB), host=\(min(memoryMiB, Self.maximumHostMemoryMiB))",
            // A triple fault stops the emulation (a panic, fatal below)
            // instead of resetting: like QEMU's -no-reboot.
            "cpu: model=\(cpuModel), ips=\(instructionsPerSecond), reset_on_triple_fault=0",
            "romimage: file=\(Self.romImage.path)",
            "vgaromimage: file=\(Self.vgaRomImage.path)",
            // The only display library Debian builds in besides wxWidgets:
            // a VNC server that does not wait for a viewer.
            "display_library: rfb, options=\"timeout=0\"",
            "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
            "ata0-slave: type=cdrom, path=\"\(iso.path)\", status=inserted",
            "boot: cdrom",
            // As fast as the host can: the emulated clock follows the
            // instructions, not the host's time.
            "clock: sync=none",
            // Port 0xE9's bytes go to Bochs's standard output.
            "port_e9_hack: enabled=1",
            "com1: enabled=1, mode=file, dev=\"\(serial.path)\"",
            // The ALSA mixer thread of Debian's build aborts on a machine
            // without a sound card.
            "speaker: enabled=0",
            "sound: driver=dummy",
            "log: \(log.path)",
            // Bochs's own errors end up in the log; a panic ends Bochs
            // instead of asking on the terminal. The unmapped-port device
            // logs every write to a port nothing claims: the exit port 0xf4.
            "panic: action=fatal",
            "error: action=report",
            "info: action=report",
            "debug: action=ignore, unmapped=report",
        ]
        lines += extraConfiguration
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the boot did.
    public struct Result: Sendable {
        /// What the guest wrote to the debug console (port 0xE9).
        public var output: String
        /// What the guest wrote to COM1.
        public var serial: String
        /// The `until` line that ended the boot.
        public var finalLine: String?
        /// The `failOn` line that ended the boot.
        public var failureLine: String?
        /// The value the guest wrote to the exit port 0xf4 (swiftboot's
        /// `QEMU.exit`), read from Bochs's log.
        public var guestValue: Int32?
        /// The processor executed HLT with interrupts disabled: it will not
        /// run again (swiftboot's `haltForever`).
        public var halted: Bool
        /// Bochs's exit status when it ended by itself; nil when we
        /// stopped it.
        public var bochsStatus: Int32?
        public var timedOut: Bool
        /// Bochs's log at info level and above, and what it printed on
        /// standard error.
        public var log: String
        public var bochsrc: String

        /// Bochs's errors and panics from the log, and the warnings it
        /// gave while the guest ran: the places where it found something
        /// wrong with what the guest did. The warnings before the first
        /// instruction are about Bochs itself (its RDRAND is not random,
        /// the CPU model's performance counters are missing), and halting
        /// with interrupts off is how swiftboot stops: those are left out.
        /// So is Bochs's complaint about IA32_MISC_ENABLE (0x1A0), which
        /// every Intel 64 processor has but Bochs 2.7 does not model: it
        /// reads as 0, "XD not disabled", which is what swiftboot wants.
        public var problems: [String] {
            log.split(separator: "\n").map(String.init).filter { line in
                let level = BochsBoot.level(of: line)
                if line.hasSuffix("RDMSR: Unknown register 0x1a0") { return false }
                if level == "e" || level == "p" { return true }
                return level == "i" && line.contains("WARNING") && !line.hasPrefix("00000000000")
                    && !line.contains("HLT instruction with IF=0")
            }
        }

        public var succeeded: Bool {
            failureLine == nil && (finalLine != nil || guestValue == GuestExit.success)
        }

        /// One line for the end of a run.
        public var summary: String {
            if let failureLine { return "the boot failed: \"\(failureLine)\"" }
            if let finalLine { return "the boot reached \"\(finalLine)\"" }
            switch guestValue {
            case GuestExit.success?: return "swiftboot reported success"
            case let value?: return "swiftboot reported failure (exit value 0x\(String(value, radix: 16)))"
            case nil: break
            }
            if timedOut { return "the boot did not finish: Bochs was stopped after the timeout" }
            if halted { return "the processor halted with interrupts off before the boot finished" }
            let panic = log.split(separator: "\n").last { BochsBoot.level(of: String($0)) == "p" }
            return "Bochs exited with status \(bochsStatus ?? -1)" + (panic.map { ": \($0)" } ?? "")
        }
    }

    /// The level letter of a Bochs log line ("00000000000i[CPU0  ] ..."):
    /// d(ebug), i(nfo), e(rror), p(anic); nil for other lines.
    static func level(of line: String) -> Character? {
        let bytes = line.utf8
        guard bytes.count > 12, let index = line.firstIndex(where: { !$0.isNumber }), index != line.startIndex else { return nil }
        let next = line.index(after: index)
        guard next < line.endIndex, line[next] == "[" else { return nil }
        return line[index]
    }

    /// "unmapped: 8-bit write to 00f4 = 10" in the log: the exit value.
    static func exitValue(inLogLine line: Substring) -> Int32? {
        guard let range = line.range(of: "-bit write to 00f4 = ") else { return nil }
        return Int32(line[range.upperBound...].trimmingCharacters(in: .whitespaces), radix: 16)
    }

    /// Boots; `stream` sees the debug console's output as it arrives.
    public func run(stream: (@Sendable (String) -> Void)? = nil) throws -> Result {
        let executable = try Tool.bochs.locate()
        for (rom, package) in [(Self.romImage, "bochsbios"), (Self.vgaRomImage, "vgabios")]
        where !FileManager.default.fileExists(atPath: rom.path) {
            throw DiagnosticError([.error("\(rom.path) not found; apt-get install \(package)", at: nil)])
        }
        guard FileManager.default.fileExists(atPath: iso.path) else {
            throw DiagnosticError([.error("no CD image at \(iso.path); `book build` makes build/swiftboot.iso", at: nil)])
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bochs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logFile = folder.appendingPathComponent("bochs.log")
        let serialFile = serialLog ?? folder.appendingPathComponent("com1.log")
        let bochsrc = configuration(log: logFile, serial: serialFile)
        try bochsrc.write(to: folder.appendingPathComponent("bochsrc"), atomically: true, encoding: .utf8)
        // Debian's Bochs is built with its debugger, which starts stopped:
        // its first command continues.
        try "c\n".write(to: folder.appendingPathComponent("commands"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["-q", "-f", "bochsrc", "-rc", "commands"]
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let console = TextCollector(skippingBochsPrefix: true), messages = TextCollector()
        let drained = DispatchGroup()
        for (pipe, collector, streaming) in [(stdout, console, stream), (stderr, messages, nil)] {
            drained.enter()
            let reader = pipe.fileHandleForReading
            OwnThread.start {
                UTF8Pieces.read(reader) { piece in
                    let text = collector.append(piece)
                    if !text.isEmpty { streaming?(text) }
                }
                if let rest = collector.finish(), !rest.isEmpty { streaming?(rest) }
                drained.leave()
            }
        }
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        var finalLine: String?, failureLine: String?, guestValue: Int32?
        var halted = false, timedOut = false
        var log = LogReader(url: logFile)
        let deadline = Date().addingTimeInterval(timeout)
        func matching(_ needles: [String], in text: String) -> String? {
            // Complete lines only: a line still being written might match
            // a prefix of a longer needle later. A serial console ends its
            // lines with "\r\n", which is one Character in Swift.
            let complete = text.last?.isNewline == true ? Substring(text) : text[..<(text.lastIndex(where: \.isNewline) ?? text.startIndex)]
            for line in complete.split(whereSeparator: \.isNewline) where needles.contains(where: { line.contains($0) }) {
                return String(line)
            }
            return nil
        }
        while process.isRunning {
            let watched = watching == .debugConsole ? console.text : ((try? String(contentsOf: serialFile, encoding: .utf8)) ?? "")
            failureLine = matching(failOn, in: watched)
            finalLine = failureLine == nil ? matching(until, in: watched) : nil
            for line in log.newLines() {
                if let value = Self.exitValue(inLogLine: line) { guestValue = value }
                if line.contains("HLT instruction with IF=0") { halted = true }
            }
            if finalLine != nil || failureLine != nil || guestValue != nil || halted { break }
            if Date() >= deadline {
                timedOut = true
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        var bochsStatus: Int32?
        if process.isRunning {
            // SIGKILL, not SIGTERM: a child inherits its parent's blocked
            // signals, and in a test process (Swift Testing's threads)
            // SIGTERM is blocked. Bochs keeps nothing worth a clean exit:
            // its log is written line by line.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        } else {
            process.waitUntilExit()
            bochsStatus = process.terminationStatus
        }
        _ = drained.wait(timeout: .now() + 5)
        for line in log.newLines() {
            if guestValue == nil, let value = Self.exitValue(inLogLine: line) { guestValue = value }
        }
        let output = console.text
        if finalLine == nil, failureLine == nil {
            // The boot ended another way (the exit value, a halt, a panic):
            // lines written just before may have arrived after the last
            // look, the serial port's file in particular, which Bochs
            // writes through a buffer.
            let watched = watching == .debugConsole ? output : ((try? String(contentsOf: serialFile, encoding: .utf8)) ?? "")
            failureLine = matching(failOn, in: watched)
            finalLine = failureLine == nil ? matching(until, in: watched) : nil
        }
        let serial = (try? String(contentsOf: serialFile, encoding: .utf8)) ?? ""
        let logText = ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { Self.level(of: String($0)) != "d" }
            .joined(separator: "\n")
        return Result(
            output: output, serial: serial, finalLine: finalLine, failureLine: failureLine, guestValue: guestValue,
            halted: halted, bochsStatus: bochsStatus, timedOut: timedOut,
            log: logText + (messages.text.isEmpty ? "" : "\n" + messages.text), bochsrc: bochsrc)
    }
}

/// Reads the lines a growing file gained since the last call.
private struct LogReader {
    let url: URL
    var offset: UInt64 = 0
    var partial = Data()

    init(url: URL) { self.url = url }

    mutating func newLines() -> [Substring] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return [] }
        offset += UInt64(data.count)
        partial.append(data)
        guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = partial[partial.startIndex...lastNewline]
        let text = String(decoding: complete, as: UTF8.self)
        partial = Data(partial[partial.index(after: lastNewline)...])
        return text.split(separator: "\n")
    }
}

/// Collects a pipe's text. On Bochs's standard output the guest's port
/// 0xE9 bytes follow Bochs's own: its banner (five lines, the first and
/// last of "=") and its debugger's first stop ("Next at t=0" and the
/// instruction at the reset vector). With `skippingBochsPrefix` those are
/// held back until they are complete and then dropped.
private final class TextCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = ""
    private var skipping: Bool

    init(skippingBochsPrefix: Bool = false) {
        skipping = skippingBochsPrefix
    }

    /// Adds `text`; returns what is new for a reader.
    func append(_ text: String) -> String {
        lock.lock(); defer { lock.unlock() }
        storage += text
        guard skipping else { return text }
        guard let length = Self.prefixLength(of: storage) else { return "" }
        skipping = false
        storage.removeFirst(length)
        return storage
    }

    /// The end of the pipe: a prefix still held back is output after all.
    func finish() -> String? {
        lock.lock(); defer { lock.unlock() }
        guard skipping else { return nil }
        skipping = false
        return storage
    }

    var text: String {
        lock.lock(); defer { lock.unlock() }
        return skipping ? "" : storage
    }

    /// How many characters of `text` are Bochs's own; nil while it cannot
    /// tell yet.
    static func prefixLength(of text: String) -> Int? {
        let rule = String(repeating: "=", count: 8)
        guard text.hasPrefix(rule) else { return rule.hasPrefix(text) ? nil : 0 }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The banner's closing rule, complete (a line follows it).
        guard let closing = lines.indices.dropFirst().dropLast().first(where: { lines[$0].hasPrefix(rule) }) else { return nil }
        var end = closing + 1
        // The debugger's stop: "Next at t=0" and one instruction.
        let next = lines[end]
        if end == lines.count - 1 {
            // Not complete yet: wait while it could still become the stop.
            if "Next at t=".hasPrefix(next) || next.hasPrefix("Next at t=") { return nil }
        } else if next.hasPrefix("Next at t=") {
            guard end + 2 < lines.count else { return nil }
            end += 2
        }
        return lines[..<end].reduce(0) { $0 + $1.count + 1 }
    }
}

extension CodeState {
    /// A Bochs boot of this state's GRUB rescue ISO (Multiboot2; the ISO
    /// carries the example kernel), ending at the first exit value
    /// swiftboot writes, as under QEMU.
    public func bochsBoot(memory: String = "128M", serialLog: URL? = nil, timeout: Double = 60) throws -> BochsBoot {
        guard let iso = recipe.iso else {
            let state = chapter.map { "the code after chapter \($0)" } ?? "the book"
            throw DiagnosticError([.error("\(state) has no GRUB ISO for Bochs to boot: no chapter generates \(BuildRecipe.grubConfig)", at: nil)])
        }
        guard let mebibytes = BochsBoot.mebibytes(memory) else {
            throw DiagnosticError([.error("memory size \"\(memory)\" is not a number of MiB or a size like 128M or 4G", at: nil)])
        }
        return BochsBoot(iso: iso, memoryMiB: mebibytes, until: [], serialLog: serialLog, timeout: timeout)
    }
}

import Foundation

/// The machine-readable checker of an exercise: a ```` ```exercise id=4.2 ````
/// block in the chapter's exercises. It says how to boot the reader's code
/// and what the boot must show:
///
///     protocol: mb1                 mb1 (default), mb2 or pvh
///     firmware: bios                bios (default) or uefi (OVMF; mb2 only)
///     machine: pc                   QEMU's -M (default pc)
///     memory: 128M                  QEMU's -m (default 128M)
///     qemu: -cpu max                more QEMU arguments
///     append: hello world           the boot loader's command line (-append)
///     module: kernel exit=0x2a      a module and its string; `kernel` is the
///                                   example kernel, `none` means no modules;
///                                   without module: lines, the state's default
///     exit: 43 (cpuException)       QEMU's exit status (default 33), or timeout
///     rip-in: cpu_ud2               the last `rip=0x…` on the console lies in
///                                   this function of swiftboot.elf64 (a
///                                   symbol, or a Swift function's name:
///                                   swiftMain); before
///                                   chapter 8 (no IDT, no report) the first
///                                   exception of QEMU's log after a triple
///                                   fault does
///     cr2-in: cpu_halt              the fault's CR2 (the console's last
///                                   `cr2=0x…`, or before chapter 8 the first
///                                   page fault of QEMU's log) lies in this
///                                   symbol of swiftboot.elf64
///     timeout: 20                   seconds before QEMU is stopped
///     output: serial                expect:/reject: read the serial port's
///                                   output (GRUB's messages, COM1) instead
///                                   of the debug console
///     line-ends: crlf               every line of that output ends in CR LF
///                                   (or `lf`: in a bare line feed)
///     break: swift_main             boot under GDB, as `book debug --batch`
///                                   does, stopping here (a symbol, a chunk
///                                   name or a chapter line; up to four);
///                                   expect: then reads the debug console up
///                                   to the session's end, and exit: is not
///                                   checked
///     gdb: monitor info tlb         a GDB command run at every stop
///     print: $cr0                   a GDB expression printed at every stop
///     expect:                       console lines that must appear, in this
///     swiftboot: …                  order (other lines may come in between);
///                                   `…` matches any text, as in transcripts
///     reject:                       console lines that must not appear
///     swiftboot: multiboot magic …
///     debug:                        lines the GDB session's report must show,
///     (gdb) monitor info tlb        in order, as `book debug --batch` prints
///     debug-reject:                 lines the report must not show
///
/// Header keys come first; after `expect:`, `reject:`, `debug:` or
/// `debug-reject:` every line belongs to that section until the next one.
/// Blank lines are ignored; the debug report's lines are compared without
/// their indentation.
public struct ExerciseCheck: Hashable, Sendable {
    public enum ExpectedExit: Hashable, Sendable {
        /// QEMU's exit status: `(value << 1) | 1` for a value written to
        /// isa-debug-exit, 0 after a triple fault with -no-reboot, 1 when
        /// QEMU itself gives up.
        case status(Int32)
        /// QEMU never ends by itself (GRUB waiting in its menu).
        case timeout
    }

    /// A module the boot passes: `kernel` names the state's example kernel,
    /// any other path is relative to the root of the book being checked.
    public struct Module: Hashable, Sendable {
        public var path: String
        public var arguments: String
    }

    public var id: String
    public var chapter: Int
    public var location: SourceLocation
    public var bootProtocol: QemuBoot.BootProtocol = .multiboot1
    public var firmware: QemuBoot.Firmware = .bios
    public var machine = "pc"
    public var memory = "128M"
    public var qemuArguments: [String] = []
    public var commandLine: String?
    /// Nil: the state's default (the example kernel once there is one).
    public var modules: [Module]?
    public var exit: ExpectedExit = .status(33)
    public var timeout: Double = 20
    /// Boot Debian's Linux with the chapter's initramfs (chapter 14), as
    /// `book run --linux` does: the output is then the serial port's.
    public var linux = false
    /// The function of swiftboot.elf64 that the last `rip=0x…` the console
    /// shows must lie in (a fault's report, chapter 8).
    public var ripIn: String?
    /// The symbol of swiftboot.elf64 that the fault's CR2 must lie in.
    public var cr2In: String?
    public var expected: [String] = []
    public var rejected: [String] = []

    /// Which of the machine's outputs expect:/reject: and line-ends: read.
    public enum Output: String, Hashable, Sendable {
        case console, serial
    }
    public var output = Output.console
    /// How every line of that output must end, when the checker says.
    public enum LineEnd: String, Hashable, Sendable {
        case crlf, lf
    }
    public var lineEnds: LineEnd?

    /// A debug session instead of a plain boot: the breakpoints (as
    /// `book debug --break` takes them), the GDB commands and expressions
    /// at every stop, and what its report must and must not show.
    public var breakpoints: [String] = []
    public var gdbCommands: [String] = []
    public var prints: [String] = []
    public var debugExpected: [String] = []
    public var debugRejected: [String] = []
    public var isDebugSession: Bool { !breakpoints.isEmpty }

    public static let keys = [
        "protocol", "firmware", "machine", "memory", "qemu", "append", "module", "exit", "timeout", "linux", "rip-in", "cr2-in",
        "output", "line-ends", "break", "gdb", "print", "expect", "reject", "debug", "debug-reject",
    ]

    /// The checkers of a chapter, in order; malformed blocks are errors at
    /// their chapter line.
    public static func all(in chapter: Chapter) throws -> [ExerciseCheck] {
        var log = DiagnosticLog()
        var checks: [ExerciseCheck] = []
        for block in MarkdownParser.codeBlocks(in: chapter) {
            guard let attributes = ChunkAttributes.parse(block, log: &log), let id = attributes.exerciseID else { continue }
            if let check = parse(block, id: id, chapter: chapter, log: &log) {
                if let other = checks.first(where: { $0.id == id }) {
                    log.report(.error("exercise \(id) has two checkers", at: block.fenceLocation,
                                      notes: [.note("the other one", at: other.location)]))
                }
                checks.append(check)
            }
        }
        try log.throwIfErrors()
        return checks
    }

    static func parse(_ block: CodeBlock, id: String, chapter: Chapter, log: inout DiagnosticLog) -> ExerciseCheck? {
        var check = ExerciseCheck(id: id, chapter: chapter.number, location: block.fenceLocation)
        let errorsBefore = log.all.count
        func fail(_ message: String, _ index: Int) {
            log.report(.error(message, at: SourceLocation(file: chapter.path, line: block.firstLine + index, column: block.baseColumn)))
        }
        let prefix = "\(chapter.number)."
        if !id.hasPrefix(prefix) || id.count == prefix.count {
            fail("exercise ids of chapter \(chapter.number) look like \(prefix)1", -1)
        }
        enum Section: String { case header, expect, reject, debug, debugReject = "debug-reject" }
        var section = Section.header
        var exitLine: Int?
        for (index, raw) in block.lines.enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty { continue }
            if line.hasSuffix(":"), let next = Section(rawValue: String(line.dropLast())), next != .header {
                section = next
                continue
            }
            switch section {
            case .expect: check.expected.append(raw); continue
            case .reject: check.rejected.append(raw); continue
            case .debug: check.debugExpected.append(line); continue
            case .debugReject: check.debugRejected.append(line); continue
            case .header: break
            }
            guard let colon = line.firstIndex(of: ":") else {
                fail("expected 'key: value' (keys: \(keys.joined(separator: ", ")))", index)
                continue
            }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            switch key {
            case "protocol":
                guard let value = QemuBoot.BootProtocol(rawValue: value) else {
                    fail("unknown protocol '\(value)' (mb1, mb2 or pvh)", index)
                    continue
                }
                check.bootProtocol = value
            case "firmware":
                guard let value = QemuBoot.Firmware(rawValue: value) else {
                    fail("unknown firmware '\(value)' (bios or uefi)", index)
                    continue
                }
                check.firmware = value
            case "machine": check.machine = value
            case "memory": check.memory = value
            case "qemu": check.qemuArguments += shellWords(value)
            case "append": check.commandLine = value
            case "module":
                if value == "none" {
                    check.modules = check.modules ?? []
                    continue
                }
                let words = value.split(separator: " ", maxSplits: 1).map(String.init)
                guard let path = words.first else { fail("module: needs a path (or kernel, or none)", index); continue }
                check.modules = (check.modules ?? []) + [Module(path: path, arguments: words.count > 1 ? words[1] : "")]
            case "exit":
                exitLine = index
                let word = value.split(separator: " ").first.map(String.init) ?? ""
                if word == "timeout" {
                    check.exit = .timeout
                } else if let status = Int32(word) {
                    check.exit = .status(status)
                } else {
                    fail("exit: takes QEMU's exit status (33 for success) or timeout", index)
                }
            case "timeout":
                guard let seconds = Double(value), seconds > 0 else { fail("timeout: takes seconds", index); continue }
                check.timeout = seconds
            case "linux":
                guard value == "yes" || value == "no" else { fail("linux: takes yes or no", index); continue }
                check.linux = value == "yes"
            case "rip-in":
                guard !value.isEmpty, !value.contains(" ") else { fail("rip-in: takes one symbol of swiftboot.elf64, e.g. cpu_ud2", index); continue }
                check.ripIn = value
            case "cr2-in":
                guard !value.isEmpty, !value.contains(" ") else { fail("cr2-in: takes one symbol of swiftboot.elf64, e.g. cpu_halt", index); continue }
                check.cr2In = value
            case "output":
                guard let value = Output(rawValue: value) else { fail("output: takes console or serial", index); continue }
                check.output = value
            case "line-ends":
                guard let value = LineEnd(rawValue: value) else { fail("line-ends: takes crlf or lf", index); continue }
                check.lineEnds = value
            case "break":
                guard !value.isEmpty else { fail("break: takes a symbol, a chunk name or a chapter line, as book debug --break", index); continue }
                guard check.breakpoints.count < DebugSession.maximumBreakpoints else {
                    fail("at most \(DebugSession.maximumBreakpoints) break: lines: the processor has four debug address registers", index)
                    continue
                }
                check.breakpoints.append(value)
            case "gdb":
                guard !value.isEmpty else { fail("gdb: takes a GDB command, e.g. monitor info tlb", index); continue }
                check.gdbCommands.append(value)
            case "print":
                guard !value.isEmpty else { fail("print: takes a register or GDB expression, e.g. $cr0", index); continue }
                check.prints.append(value)
            default:
                fail("unknown key '\(key)' (keys: \(keys.joined(separator: ", ")))", index)
            }
        }
        if check.firmware == .uefi, check.bootProtocol != .multiboot2 {
            fail("firmware: uefi starts swiftboot through GRUB only: add protocol: mb2", -1)
        }
        if !check.isDebugSession, !(check.gdbCommands.isEmpty && check.prints.isEmpty && check.debugExpected.isEmpty && check.debugRejected.isEmpty) {
            fail("gdb:, print:, debug: and debug-reject: belong to a debug session: add a break: line", -1)
        }
        if check.isDebugSession {
            if let exitLine { fail("exit: is not checked in a debug session (break:), which GDB ends", exitLine) }
            if check.linux { fail("a debug session (break:) debugs swiftboot, not Linux: drop linux: yes", -1) }
            if check.ripIn != nil || check.cr2In != nil { fail("rip-in: and cr2-in: read a fault's report; a debug session shows the registers itself", -1) }
        }
        if check.linux, check.output == .serial { fail("output: serial is what linux: yes reads already", -1) }
        if check.expected.isEmpty, check.rejected.isEmpty, check.exit == .status(33), check.ripIn == nil, check.cr2In == nil,
           check.lineEnds == nil, check.debugExpected.isEmpty, check.debugRejected.isEmpty
        {
            fail("an exercise checker says what the boot must show: expect:, reject:, exit:, rip-in:, cr2-in:, line-ends: or debug:", -1)
        }
        return log.all.count > errorsBefore ? nil : check
    }

    /// The boot of `state` that this checker asks for.
    public func boot(of state: CodeState) throws -> QemuBoot {
        if linux {
            var boot = try LinuxParts.make(for: state.recipe).boot(bootProtocol, firmware: firmware, recipe: state.recipe, machine: machine,
                                                                   memory: memory, timeout: timeout)
            boot.extraArguments = qemuArguments
            return boot
        }
        let serialLog = bootProtocol == .multiboot2 || output == .serial
            ? state.recipe.output.appendingPathComponent("serial-\(id).log") : nil
        var boot = try state.boot(using: bootProtocol, firmware: firmware, machine: machine, memory: memory, serialLog: serialLog,
                                  timeout: timeout)
        boot.commandLine = commandLine
        boot.extraArguments = qemuArguments
        if let modules {
            boot.modules = try modules.map { module in
                if module.path == "kernel" {
                    guard let kernel = state.recipe.kernel else {
                        throw DiagnosticError([.error("exercise \(id) boots the example kernel, but this code state has none", at: location)])
                    }
                    return QemuBoot.Module(path: kernel, arguments: module.arguments)
                }
                return QemuBoot.Module(path: state.tree.appendingPathComponent(module.path), arguments: module.arguments)
            }
        }
        return boot
    }

    /// What is wrong with a boot's result, for a reader: the first expected
    /// line that never came (with the console line closest to it), the
    /// first line that should not have come, the exit status, the function
    /// the fault's RIP is in. `function` names the function of
    /// swiftboot.elf64 an address lies in (nil when none does). Empty
    /// when the exercise passes.
    ///
    /// `fault` is the first exception of the triple fault's chain in
    /// QEMU's log (`FaultTriage`), which `rip-in:` reads when the console
    /// shows no `rip=`.
    ///
    /// `result.output` is the output the checker reads (`output:`);
    /// `pageFaultCR2` is the CR2 of the first page fault in QEMU's log;
    /// `symbol` names the symbol of swiftboot.elf64 any address lies in,
    /// for `cr2-in:`; `debug` is the debug session's report (`break:`).
    public func problems(
        with result: QemuBoot.Result, fault: FaultTriage.Exception? = nil, function: (UInt64) -> String? = { _ in nil },
        pageFaultCR2: UInt64? = nil, symbol: (UInt64) -> String? = { _ in nil }, debug: DebugSession.BatchReport? = nil,
        swiftName: (String) -> String? = { _ in nil }
    ) -> [String] {
        // A Swift function may be named as the source names it.
        func matches(_ found: String?, _ wanted: String) -> Bool {
            Self.symbol(found, swiftName: found.flatMap(swiftName), isNamed: wanted)
        }
        // GRUB starts its lines on the serial port with a carriage return.
        var lines = result.output.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
            .map { $0.hasPrefix("\r") ? String($0.drop { $0 == "\r" }) : $0 }
        if lines.last == "" { lines.removeLast() }
        var problems: [String] = []
        let source = output == .serial ? "serial port" : "console"
        if let missing = Self.firstMissing(expected, in: lines) {
            var text = "missing line: the \(source) never showed\n      \(missing.pattern)"
            if let previous = missing.previous { text += "\n    after the line\n      \(previous)" }
            if let earlier = lines[..<missing.from].firstIndex(where: { Transcript.line($0, matches: missing.pattern) }) {
                text += "\n    it came earlier, as console line \(earlier + 1): the lines must come in the checker's order"
            } else if let closest = Self.closestLine(to: missing.pattern, in: lines[missing.from...]) {
                text += "\n    the closest line the \(source) showed (line \(closest + 1)):\n      \(lines[closest])"
            }
            problems.append(text)
        }
        if let number = Self.firstRejected(rejected, in: lines) {
            problems.append("unexpected line: console line \(number + 1) should not appear\n      \(lines[number])")
        }
        if let lineEnds {
            problems += Self.lineEndProblems(in: result.output, wanted: lineEnds)
        }
        switch isDebugSession ? nil : exit {
        case nil: break
        case .timeout?:
            if !result.timedOut {
                problems.append("exit status: QEMU exited with status \(result.qemuStatus) (\(Self.meaning(of: result.qemuStatus))); expected it to run until the timeout")
            }
        case .status(let status)?:
            if result.timedOut {
                problems.append("exit status: QEMU did not finish and was stopped after \(Self.seconds(timeout)) s; expected status \(status) (\(Self.meaning(of: status)))")
            } else if result.qemuStatus != status {
                problems.append("exit status: QEMU exited with status \(result.qemuStatus) (\(Self.meaning(of: result.qemuStatus))); expected \(status) (\(Self.meaning(of: status)))")
            }
        }
        if let ripIn {
            if let rip = Self.lastRIP(in: lines) {
                let found = function(rip)
                if !matches(found, ripIn) {
                    problems.append("fault address: rip=" + String(format: "0x%016llx", rip) + " is "
                        + (found.map { "in \($0)" } ?? "in no function of swiftboot.elf64") + ", not in \(ripIn)")
                }
            } else if let fault {
                let found = function(fault.pc)
                if !matches(found, ripIn) {
                    problems.append("fault address: the first exception, \(fault.name), was at " + String(format: "0x%016llx", fault.pc)
                        + (found.map { " in \($0)" } ?? " in no function of swiftboot.elf64") + ", not in \(ripIn)")
                }
            } else {
                problems.append("fault address: no fault to look at: the console shows no rip=0x…, and QEMU's log no exception; expected one in \(ripIn)")
            }
        }
        if let cr2In {
            if let cr2 = Self.lastValue(of: "cr2=0x", in: lines) {
                problems += Self.cr2Problem(cr2, symbol: symbol(cr2), wanted: cr2In, source: "cr2=", swiftName: symbol(cr2).flatMap(swiftName))
            } else if let pageFault = pageFaultCR2 {
                problems += Self.cr2Problem(pageFault, symbol: symbol(pageFault), wanted: cr2In, source: "the first page fault's CR2, ",
                                            swiftName: symbol(pageFault).flatMap(swiftName))
            } else {
                problems.append("fault CR2: no page fault to look at: the console shows no cr2=0x…, and QEMU's log no page fault; expected one in \(cr2In)")
            }
        }
        if let debug { problems += debugProblems(in: debug) }
        return problems
    }

    /// Whether `symbol` (as the ELF file spells it) is `name`: the symbol
    /// itself, or for a Swift function its demangled name
    /// (`swiftMain(magic:info:loadOffset:)`) or that name's base
    /// (`swiftMain`).
    static func symbol(_ symbol: String?, swiftName: String?, isNamed name: String) -> Bool {
        guard let symbol else { return false }
        if symbol == name { return true }
        guard let swiftName else { return false }
        return swiftName == name || swiftName.prefix { $0 != "(" } == name
    }

    static func cr2Problem(_ cr2: UInt64, symbol: String?, wanted: String, source: String, swiftName: String? = nil) -> [String] {
        guard !Self.symbol(symbol, swiftName: swiftName, isNamed: wanted) else { return [] }
        return ["fault CR2: \(source)" + String(format: "0x%016llx", cr2) + ", is "
            + (symbol.map { "in \($0)" } ?? "in no symbol of swiftboot.elf64") + ", not in \(wanted)"]
    }

    /// The first line that does not end as `wanted` says (the last line
    /// too: a boot's output ends with a line end).
    static func lineEndProblems(in output: String, wanted: LineEnd) -> [String] {
        guard !output.isEmpty else { return [] }
        // Bytes, not characters: Swift reads CR LF as one character.
        var pieces = Array(output.utf8).split(separator: 10, omittingEmptySubsequences: false)
        let unterminated = pieces.removeLast()
        for (number, piece) in pieces.enumerated() where (piece.last == 13) != (wanted == .crlf) {
            let text = String(decoding: piece.last == 13 ? piece.dropLast() : piece, as: UTF8.self)
            return ["line ends: line \(number + 1) ends in \(wanted == .crlf ? "a bare LF" : "CR LF"), not \(wanted == .crlf ? "CR LF" : "a bare LF")\n      \(text)"]
        }
        if !unterminated.isEmpty {
            return ["line ends: the last line has no line end at all\n      \(String(decoding: unterminated, as: UTF8.self))"]
        }
        return []
    }

    /// What is wrong with a debug session's report: a stop that never came,
    /// the first expected line missing (in order), a line that should not
    /// be there. Lines are compared without their indentation.
    func debugProblems(in report: DebugSession.BatchReport) -> [String] {
        var problems: [String] = []
        if report.stops.count < breakpoints.count {
            problems.append("debug: the session stopped at \(report.stops.count) of \(breakpoints.count) breakpoint(s)"
                + (report.ending.map { ": \($0)" } ?? ""))
        }
        let lines = Self.reportLines(report)
        if let missing = Self.firstMissing(debugExpected, in: lines) {
            var text = "debug: the session's report never showed\n      \(missing.pattern)"
            if let closest = Self.closestLine(to: missing.pattern, in: lines[missing.from...]) {
                text += "\n    the closest line it showed:\n      \(lines[closest])"
            }
            problems.append(text)
        }
        if let number = Self.firstRejected(debugRejected, in: lines) {
            problems.append("debug: the session's report should not show\n      \(lines[number])")
        }
        return problems
    }

    /// The first pattern of `expected` that does not come in `lines` after
    /// the line the pattern before it matched; `from` is where the search
    /// for it began, `previous` the line before that. Nil when all come.
    static func firstMissing(_ expected: [String], in lines: [String]) -> (pattern: String, from: Int, previous: String?)? {
        var position = 0
        var previous: String?
        for pattern in expected {
            guard let found = lines[position...].firstIndex(where: { Transcript.line($0, matches: pattern) }) else {
                return (pattern, position, previous)
            }
            previous = lines[found]
            position = found + 1
        }
        return nil
    }

    /// The index of the first line that a pattern of `rejected` matches.
    static func firstRejected(_ rejected: [String], in lines: [String]) -> Int? {
        lines.firstIndex { line in rejected.contains { Transcript.line(line, matches: $0) } }
    }

    /// The report's lines without their indentation.
    static func reportLines(_ report: DebugSession.BatchReport) -> [String] {
        report.description.split(separator: "\n").map { String($0).trimmingWhitespace() }
    }

    /// The last `0x…` value after `label` on the console (`rip=0x`, `cr2=0x`).
    static func lastValue(of label: String, in lines: [String]) -> UInt64? {
        for line in lines.reversed() {
            guard let range = line.range(of: label) else { continue }
            let digits = line[range.upperBound...].prefix { $0.isHexDigit }
            if let value = UInt64(digits, radix: 16) { return value }
        }
        return nil
    }

    /// The last `rip=0x…` value the console shows (swiftboot's exception
    /// report, chapter 8).
    public static func lastRIP(in output: String) -> UInt64? {
        lastRIP(in: output.components(separatedBy: "\n"))
    }

    static func lastRIP(in lines: [String]) -> UInt64? {
        lastValue(of: "rip=0x", in: lines)
    }

    /// The console line most like `pattern` (the fewest character edits,
    /// wildcards left out), when it is close enough to be a near miss: at
    /// most half as many edits as the longer of the two has characters.
    static func closestLine(to pattern: String, in lines: ArraySlice<String>) -> Int? {
        let wanted = Array(pattern.replacingOccurrences(of: String(Transcript.wildcard), with: ""))
        var best: (index: Int, distance: Int)?
        for index in lines.indices {
            let line = Array(lines[index])
            let distance = editDistance(wanted, line)
            if distance * 2 <= max(wanted.count, line.count), distance < (best?.distance ?? .max) {
                best = (index, distance)
            }
        }
        return best?.index
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The book's exit values (the enumeration of chapter 4 and its later cases), by QEMU status.
    static let exitNames: [Int32: String] = [
        0x10: "success", 0x11: "failure", 0x12: "unknownBootMagic", 0x13: "noLongMode", 0x14: "misaligned",
        0x15: "cpuException", 0x16: "badBootInfo", 0x17: "commandLineTooLong", 0x18: "noKernel",
        0x19: "kernelNotELF64", 0x1a: "kernelTruncated", 0x1b: "kernelBadSegments",
        0x1c: "kernelEntryOutsideCode", 0x1d: "noRoomForKernel", 0x1e: "outOfMemory",
    ]

    /// What a QEMU exit status means in this book.
    public static func meaning(of status: Int32) -> String {
        switch status {
        case 0: return "a reset, e.g. a triple fault"
        case 1: return "QEMU's own error"
        default:
            guard let value = GuestExit.guestValue(fromQemuStatus: status) else { return "QEMU ended abnormally" }
            let hex = "0x" + String(value, radix: 16)
            return exitNames[value].map { "\($0), \(hex)" } ?? "exit value \(hex)"
        }
    }
}

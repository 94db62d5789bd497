import Foundation

/// What to do when swiftboot ends without telling QEMU how it went (a
/// triple fault resets the machine, which `-no-reboot` turns into QEMU's
/// exit) or never ends (a timeout): boot once more with QEMU's exception
/// log (`-d int,cpu_reset -D FILE`) and show the last exceptions, each
/// with its instruction mapped back to the chapter line.
public struct FaultTriage: Sendable {
    /// One exception as QEMU logs it:
    /// `0: v=0e e=0002 i=0 cpl=0 IP=0008:ffffffff8020b131 pc=ffffffff8020b131 SP=0000:ffffffff8021cfc0 CR2=0000001000000000`
    public struct Exception: Sendable, Hashable {
        public var vector: Int
        public var errorCode: UInt64
        /// A software interrupt (`int N`), not an exception.
        public var isSoftware: Bool
        /// The linear address of the instruction (CS base + RIP).
        public var pc: UInt64
        /// Set for page faults: the address that could not be accessed.
        public var cr2: UInt64?
        /// The line as QEMU wrote it.
        public var logLine: String

        public var name: String { Self.names[vector].map { "\($0.mnemonic) \($0.name)" } ?? "vector \(vector)" }

        /// SDM 3A §7.15, "Exception and Interrupt Reference".
        static let names: [Int: (mnemonic: String, name: String)] = [
            0: ("#DE", "divide error"), 1: ("#DB", "debug exception"), 2: ("NMI", "non-maskable interrupt"),
            3: ("#BP", "breakpoint"), 4: ("#OF", "overflow"), 5: ("#BR", "bound range exceeded"),
            6: ("#UD", "invalid opcode"), 7: ("#NM", "device not available"), 8: ("#DF", "double fault"),
            10: ("#TS", "invalid TSS"), 11: ("#NP", "segment not present"), 12: ("#SS", "stack-segment fault"),
            13: ("#GP", "general protection"), 14: ("#PF", "page fault"), 16: ("#MF", "x87 floating-point error"),
            17: ("#AC", "alignment check"), 18: ("#MC", "machine check"), 19: ("#XM", "SIMD floating-point exception"),
            20: ("#VE", "virtualization exception"), 21: ("#CP", "control protection"),
        ]

        /// Exceptions whose error code names a segment selector or an IDT
        /// entry (SDM 3A §7.13, "Error Code"): #DF (always 0), #TS, #NP,
        /// #SS, #GP.
        static let selectorErrorCodes: Set<Int> = [8, 10, 11, 12, 13]

        /// A selector error code in words: bit 0 EXT (an event outside the
        /// program), bit 1 IDT, bit 2 TI (LDT rather than GDT), bits 3 to
        /// 15 the index. `delivering` is the vector whose delivery raised
        /// this exception, the one before it in the chain.
        ///
        /// QEMU before 8.0 wrote the IDT index of a 64-bit IDT doubled
        /// (vector × 16 + 2, as if the index counted 8-byte slots of the
        /// 16-byte gates; QEMU issue 1382); processors and later QEMUs write
        /// vector × 8 + 2. When the doubled reading names the vector being
        /// delivered, that is the entry meant.
        public func selectorCause(delivering: Int?) -> String? {
            guard Self.selectorErrorCodes.contains(vector), errorCode != 0 else { return nil }
            var words: [String] = []
            let index = Int(errorCode >> 3) & 0x1fff
            if errorCode & 2 != 0 {
                if let delivering, index == 2 * delivering, index != delivering {
                    words.append("IDT entry \(delivering) (QEMU 7 writes vector × 16 + 2 in 64-bit mode)")
                } else {
                    words.append("IDT entry \(index)")
                }
            } else {
                words.append((errorCode & 4 != 0 ? "LDT" : "GDT") + " selector " + String(format: "0x%llx", errorCode & 0xfff8))
            }
            if errorCode & 1 != 0 { words.append("while delivering an external event") }
            return words.joined(separator: ", ")
        }

        /// The page-fault error code in words (SDM 3A §5.7, "Page-Fault Exceptions").
        public var pageFaultCause: String? {
            guard vector == 14 else { return nil }
            var words = [errorCode & 1 == 0 ? "page not present" : "protection violation"]
            words.append(errorCode & 0x10 != 0 ? "instruction fetch" : errorCode & 2 != 0 ? "write" : "read")
            if errorCode & 4 != 0 { words.append("user mode") }
            if errorCode & 8 != 0 { words.append("reserved bit set in a paging entry") }
            return words.joined(separator: ", ")
        }
    }

    public var exceptions: [Exception]
    public var tripleFault: Bool
    public var log: URL
    public var places: [AddressLookup.Result]

    /// Parses QEMU's `-d int` log: the exceptions of the last chain (an
    /// exception raised while none was being delivered starts a chain;
    /// each failed delivery adds one), at most `limit` of them.
    public static func parse(log text: String, limit: Int = 6) -> (exceptions: [Exception], tripleFault: Bool) {
        var chain: [Exception] = []
        var tripleFault = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("check_exception old: 0xffffffff") {
                chain = []
                continue
            }
            if line == "Triple fault" { tripleFault = true; continue }
            guard let colon = line.firstIndex(of: ":"), Int(line[..<colon]) != nil,
                  line[line.index(after: colon)...].hasPrefix(" v=")
            else { continue }
            var fields: [String: String] = [:]
            for field in line[line.index(after: colon)...].split(separator: " ") {
                guard let equals = field.firstIndex(of: "=") else { continue }
                fields[String(field[..<equals])] = String(field[field.index(after: equals)...])
            }
            guard let vector = fields["v"].flatMap({ Int($0, radix: 16) }),
                  let pc = fields["pc"].flatMap({ UInt64($0, radix: 16) })
            else { continue }
            chain.append(Exception(
                vector: vector, errorCode: fields["e"].flatMap { UInt64($0, radix: 16) } ?? 0, isSoftware: fields["i"] == "1",
                pc: pc, cr2: fields["CR2"].flatMap { UInt64($0, radix: 16) }, logLine: line
            ))
        }
        return (Array(chain.suffix(limit)), tripleFault)
    }

    /// Boots `boot` again with the exception log in `log` and reads it.
    public static func run(_ boot: QemuBoot, image: URL, log: URL) throws -> FaultTriage {
        var boot = boot
        try? FileManager.default.removeItem(at: log)
        boot.extraArguments += ["-d", "int,cpu_reset", "-D", log.path]
        _ = try boot.run()
        // The log can be long (the BIOS's interrupts, a fault loop): its end matters.
        let handle = try FileHandle(forReadingFrom: log)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 4 << 20 ? size - (4 << 20) : 0)
        let text = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let (exceptions, tripleFault) = parse(log: text)
        let places = try AddressLookup(image: image).lookUp(exceptions.map(\.pc))
        return FaultTriage(exceptions: exceptions, tripleFault: tripleFault, log: log, places: places)
    }

    /// The hint for the reader.
    public var description: String {
        var lines = ["triage: booted again with QEMU's exception log, -d int,cpu_reset -D \(log.path)"]
        if exceptions.isEmpty {
            lines.append("triage: no exception in the log: swiftboot is waiting or looping without faulting; `book debug` stops it where you want")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("triage: the last exceptions, oldest first:")
        for (number, (exception, place)) in zip(exceptions, places).enumerated() {
            var head = "  \(exception.name) (v=\(String(format: "%02x", exception.vector))"
            if exception.vector == 14 || [8, 10, 11, 12, 13, 17, 21].contains(exception.vector) {
                head += String(format: ", error code 0x%llx", exception.errorCode)
            }
            head += ")" + String(format: " at 0x%llx", exception.pc)
            if let cr2 = exception.cr2, exception.vector == 14 { head += String(format: ", CR2=0x%llx", cr2) }
            if let cause = exception.pageFaultCause { head += ": \(cause)" }
            if let cause = exception.selectorCause(delivering: number > 0 ? exceptions[number - 1].vector : nil) {
                head += ": \(cause)"
            }
            lines.append(head)
            if let frame = place.frames.first {
                var where_ = "    in \(frame.function)" + (frame.location.map { " at \($0)" } ?? " (no line information)")
                for outer in place.frames.dropFirst() {
                    where_ += ", inlined into \(outer.function)" + (outer.location.map { " at \($0)" } ?? "")
                }
                lines.append(where_)
            } else if let nearest = place.nearestSymbol {
                lines.append("    at \(nearest.name)" + (nearest.offset == 0 ? "" : String(format: "+0x%llx", nearest.offset)))
            } else {
                lines.append("    outside swiftboot")
            }
            lines.append("    log: \(exception.logLine)")
        }
        if tripleFault {
            lines.append("triage: then a triple fault: no exception could be delivered, so the processor reset (and -no-reboot ended QEMU)")
        }
        if let location = places.first?.location {
            lines.append("\(location): note: the first exception of the chain comes from here")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether a boot's result calls for triage: no exit value (triple
    /// fault) or a timeout.
    public static func isNeeded(for result: QemuBoot.Result) -> Bool {
        result.timedOut || result.guestValue == nil
    }
}

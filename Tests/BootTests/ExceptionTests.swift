import BookKit
import Foundation
import Testing

/// Inserts `line` into the book's Swift code right after the reference to
/// the chunk "start the runtime" in `swift_main` (chapter 8), where the
/// console and the exception handlers are up.
func injectingAfterRuntimeStart(_ line: String) -> (inout [String: String]) -> Void {
    { texts in
        let name = texts.keys.sorted().last { texts[$0]!.contains("<<start the runtime>>") }!
        var lines = texts[name]!.components(separatedBy: "\n")
        let index = lines.lastIndex { $0.trimmingCharacters(in: .whitespaces) == "<<start the runtime>>" }!
        let indent = String(lines[index].prefix { $0 == " " })
        lines.insert(indent + line, at: index + 1)
        texts[name] = lines.joined(separator: "\n")
    }
}

/// Builds the whole book (a copy, edited by `edit`) and boots it with the
/// serial port logged to a file; returns the result and the serial output.
func bootWithSerialLog(editing edit: ((inout [String: String]) -> Void)? = nil) throws -> (QemuBoot.Result, String) {
    let (result, serial, _) = try bootWithSerialLogAndState(editing: edit)
    return (result, serial)
}

/// The same, with the built state, for the symbols of its image.
func bootWithSerialLogAndState(editing edit: ((inout [String: String]) -> Void)? = nil) throws -> (QemuBoot.Result, String, CodeState) {
    let book = try copyOfTheBook(editing: edit)
    let state = CodeState(book: book)
    try state.build()
    var boot = state.boot(timeout: 20)
    let log = book.root.appendingPathComponent("build/serial.log")
    boot.serialLog = log
    let result = try boot.run()
    let serial = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return (result, serial, state)
}

/// Chapter 8: the console writes to the serial port too, and exceptions
/// end in a report instead of a reset.
@Suite struct ExceptionTests {
    @Test func serialOutputEqualsTheDebugConsoleFromSwiftOn() throws {
        let (result, serial) = try bootWithSerialLog()
        #expect(result.succeeded, "\(result.summary)\n\(result.output)")
        // The 32-bit code writes to the debug console only; from the first
        // Swift line on, both outputs carry the same bytes.
        #expect(serial.hasPrefix("swiftboot: hello from Swift in 64-bit long mode\n"), "serial: \(serial)")
        // swiftboot's part, up to the hand-off, is the same on both; then
        // the example kernel writes to both too, with CRLF on the serial port.
        let handoff = "swiftboot: handing off to the kernel\n"
        let swiftbootSerial = serial.components(separatedBy: handoff)[0] + handoff
        let swiftbootConsole = result.output.components(separatedBy: handoff)[0] + handoff
        #expect(swiftbootConsole.hasSuffix(swiftbootSerial), "debugcon:\n\(result.output)\nserial:\n\(serial)")
        #expect(serial.contains("swiftboot: serial port COM1 ready"))
        #expect(serial.contains("kernel: all 16 checks passed, exit value 0x10\r\n"), "serial:\n\(serial)")
    }

    @Test func aPageFaultIsReportedWithItsAddressAndStopsQEMU() throws {
        let (result, serial) = try bootWithSerialLog(editing: injectingAfterRuntimeStart(
            "Console.writeHex(UnsafePointer<UInt64>(bitPattern: 0x7fff_0000_0000)!.pointee)"
        ))
        #expect(result.qemuStatus == 43, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: CPU exception #PF (page fault), vector 14, error code 0x0000000000000000\n"), "\(result.output)")
        #expect(result.output.contains("cr2=0x00007fff00000000: page not present, read, supervisor\n"), "\(result.output)")
        #expect(result.output.contains(" rip=0xffffffff8"), "\(result.output)")
        for register in ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8 ", "r9 ", "r10", "r11", "r12", "r13", "r14", "r15"] {
            #expect(result.output.contains(" \(register)=0x"), "\(register) missing:\n\(result.output)")
        }
        #expect(result.output.hasSuffix(serial), "the report must reach the serial port too")
        // Chapter 8's first exercise shows this report: it must be this one.
        let mismatch = try sampleMismatch(named: "page-fault-report", output: result.output, from: "swiftboot: CPU exception")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func anInvalidOpcodeIsReportedAsUD() throws {
        // `ud2` through an extra assembly helper, declared where it is used.
        let (result, _, state) = try bootWithSerialLogAndState { texts in
            let name = texts.keys.sorted().last { texts[$0]!.contains("```asm file=asm/cpu.S") }!
            texts[name]! += """

                ```asm file=asm/test_ud2.S
                        .section .text.cpu_ud2, "ax", @progbits
                        .global cpu_ud2
                cpu_ud2:
                        ud2
                ```

                ```swift file=Sources/SwiftBoot/TestUD2.swift
                @_extern(c, "cpu_ud2")
                func cpuUD2()
                ```

                """
            injectingAfterRuntimeStart("cpuUD2()")(&texts)
        }
        #expect(result.qemuStatus == 43, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: CPU exception #UD (invalid opcode), vector 6, error code 0x0000000000000000\n"), "\(result.output)")
        #expect(!result.output.contains("cr2="), "only a page fault reports CR2")
        // Every field of the frame where ExceptionFrame says it is (the
        // optimiser leaves no type information to read its layout from):
        // RIP is the ud2 itself, CS and SS what chapter 3 loaded.
        let ud2 = try symbolAddress64("cpu_ud2", in: state.recipe.elf64)
        #expect(result.output.contains(String(format: " rip=0x%016llx cs=0x0008 rflags=0x", ud2)), "\(result.output)")
        #expect(result.output.contains(" ss=0x0000"), "\(result.output)")
    }
}

extension ExceptionTests {
    @Test func aWriteToReadOnlyDataIsAProtectionViolation() throws {
        // The table of stub addresses lies in .rodata, mapped read-only.
        let (result, _) = try bootWithSerialLog(editing: injectingAfterRuntimeStart(
            "UnsafeMutablePointer(mutating: exceptionStubTable()).pointee = 0"
        ))
        #expect(result.qemuStatus == 43, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: CPU exception #PF (page fault), vector 14, error code 0x0000000000000003\n"), "\(result.output)")
        #expect(result.output.contains(": protection violation, write, supervisor\n"), "\(result.output)")
    }
}

extension ExceptionTests {
    /// Chapter 6's guard page: a stack that overflows faults on the
    /// unmapped page below it instead of overwriting .bss. Delivering that
    /// fault needs the same stack, so the machine triple-faults, and the
    /// triage shows the page fault with CR2 in the guard page.
    @Test func aStackOverflowFaultsOnTheGuardPage() throws {
        let book = try copyOfTheBook { texts in
            let name = texts.keys.sorted().last { texts[$0]!.contains("```asm file=asm/cpu.S") }!
            texts[name]! += """

                ```swift file=Sources/SwiftBoot/TestOverflow.swift
                /// Recursion the compiler cannot turn into a loop: each call
                /// prints from its own 64-byte buffer after the next call
                /// returns, so every frame stays alive.
                @inline(never)
                func overflowTheStack(_ depth: UInt64) -> UInt64 {
                    if depth == 0 { return 0 }  // only after 2^64 calls
                    var buffer = (depth, depth, depth, depth, depth, depth, depth, depth)
                    let deeper = withUnsafeMutablePointer(to: &buffer) { pointer in overflowTheStack(pointer.pointee.0 &+ 1) }
                    DebugCon.writeHex(buffer.7)
                    return deeper
                }
                ```

                """
            injectingAfterRuntimeStart("DebugCon.writeHex(overflowTheStack(1))")(&texts)
        }
        let run = try runBook(["run", "--timeout", "30"], in: book.root)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("triage: then a triple fault"), "\(run.output)")
        let stack = try symbolAddress64("swift_stack", in: book.root.appendingPathComponent("build/swiftboot.elf64"))
        // The first exception: a write to the page below the stack.
        let fault = try #require(run.output.split(separator: "\n").first { $0.contains("#PF page fault (v=0e, error code 0x2)") }, "\(run.output)")
        let cr2Text = try #require(fault.range(of: "CR2=0x"), "\(fault)")
        let cr2 = try #require(UInt64(fault[cr2Text.upperBound...].prefix { $0.isHexDigit }, radix: 16), "\(fault)")
        let addresses = String(format: "CR2 0x%llx, stack at 0x%llx", cr2, stack)
        #expect(stack - 4096 <= cr2 && cr2 < stack, "\(addresses)\n\(run.output)")
        #expect(fault.hasSuffix(": page not present, write"), "\(fault)")
    }
}

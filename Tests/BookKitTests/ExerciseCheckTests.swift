@testable import BookKit
import Foundation
import Testing

@Suite struct ExerciseCheckTests {
    let chapter = Chapter(path: "chapters/04-a.md", number: 4, text: """
        # 4. A

        1. Do it.

           ```exercise id=4.1
           protocol: pvh
           memory: 256M
           qemu: -cpu max -smp 2
           append: hello world
           module: kernel exit=0x2a
           module: README.md two
           exit: 43 (cpuException)
           timeout: 5
           expect:
           swiftboot: hello
           swiftboot: IDT at 0x…, handlers
           reject:
           swiftboot: multiboot magic …
           ```
        """)

    @Test func parsesEveryKey() throws {
        let checks = try ExerciseCheck.all(in: chapter)
        #expect(checks.count == 1)
        let check = try #require(checks.first)
        #expect(check.id == "4.1")
        #expect(check.chapter == 4)
        #expect(check.location == SourceLocation(file: "chapters/04-a.md", line: 5, column: 4))
        #expect(check.bootProtocol == .pvh)
        #expect(check.memory == "256M")
        #expect(check.machine == "pc")
        #expect(check.qemuArguments == ["-cpu", "max", "-smp", "2"])
        #expect(check.commandLine == "hello world")
        #expect(check.modules == [.init(path: "kernel", arguments: "exit=0x2a"), .init(path: "README.md", arguments: "two")])
        #expect(check.exit == .status(43))
        #expect(check.timeout == 5)
        #expect(check.expected == ["swiftboot: hello", "swiftboot: IDT at 0x…, handlers"])
        #expect(check.rejected == ["swiftboot: multiboot magic …"])
    }

    @Test func reportsMistakesAtTheirChapterLine() throws {
        let broken = Chapter(path: "chapters/04-a.md", number: 4, text: """
            ```exercise id=5.1
            colour: red
            exit: never
            protocol: floppy
            expect:
            x
            ```

            ```exercise
            exit: 0
            ```
            """)
        #expect {
            try ExerciseCheck.all(in: broken)
        } throws: { error in
            let text = "\(error)"
            return text.contains("chapters/04-a.md:1:1: error: exercise ids of chapter 4 look like 4.1")
                && text.contains("chapters/04-a.md:2:1: error: unknown key 'colour' (keys: protocol,")
                && text.contains("chapters/04-a.md:3:1: error: exit: takes QEMU's exit status (33 for success) or timeout")
                && text.contains("chapters/04-a.md:4:1: error: unknown protocol 'floppy' (mb1, mb2 or pvh)")
                && text.contains("chapters/04-a.md:9:4: error: an exercise block names its exercise: ```exercise id=N.M")
        }
    }

    @Test func firmwareIsBIOSUnlessTheCheckerSaysUEFIWithGRUB() throws {
        let uefi = Chapter(path: "chapters/09-a.md", number: 9, text: """
            ```exercise id=9.5
            protocol: mb2
            firmware: uefi
            expect:
            kernel: drew …
            ```
            """)
        #expect(try ExerciseCheck.all(in: uefi).first?.firmware == .uefi)
        #expect(try ExerciseCheck.all(in: chapter).first?.firmware == .bios)
        let broken = Chapter(path: "chapters/09-a.md", number: 9, text: """
            ```exercise id=9.5
            firmware: coreboot
            expect:
            x
            ```

            ```exercise id=9.6
            firmware: uefi
            expect:
            x
            ```
            """)
        #expect {
            try ExerciseCheck.all(in: broken)
        } throws: { error in
            let text = "\(error)"
            return text.contains("chapters/09-a.md:2:1: error: unknown firmware 'coreboot' (bios or uefi)")
                && text.contains("chapters/09-a.md:7:1: error: firmware: uefi starts swiftboot through GRUB only: add protocol: mb2")
        }
    }

    func result(_ output: String, status: Int32 = 33, timedOut: Bool = false) -> QemuBoot.Result {
        QemuBoot.Result(output: output, qemuStatus: status, timedOut: timedOut)
    }

    @Test func passesWhenTheLinesComeInOrderAndTheStatusMatches() throws {
        let check = try #require(try ExerciseCheck.all(in: chapter).first)
        let output = "swiftboot: hello\nsomething else\nswiftboot: IDT at 0xffff, handlers\n"
        #expect(check.problems(with: result(output, status: 43)) == [])
    }

    @Test func namesTheFirstMissingLineTheUnexpectedLineAndTheStatus() throws {
        let check = try #require(try ExerciseCheck.all(in: chapter).first)
        let output = "swiftboot: hello\nswiftboot: multiboot magic 0x2badb002\n"
        #expect(check.problems(with: result(output)) == [
            "missing line: the console never showed\n      swiftboot: IDT at 0x…, handlers\n    after the line\n      swiftboot: hello",
            "unexpected line: console line 2 should not appear\n      swiftboot: multiboot magic 0x2badb002",
            "exit status: QEMU exited with status 33 (success, 0x10); expected 43 (cpuException, 0x15)",
        ])
        #expect(check.problems(with: result("", status: 0, timedOut: true)).last
            == "exit status: QEMU did not finish and was stopped after 5 s; expected status 43 (cpuException, 0x15)")
        #expect(check.problems(with: result("", status: 0)).last
            == "exit status: QEMU exited with status 0 (a reset, e.g. a triple fault); expected 43 (cpuException, 0x15)")
    }

    /// A near miss shows the line that came instead; a line that came too
    /// early says so.
    @Test func aMissingLineShowsTheClosestConsoleLineOrThatItCameEarlier() throws {
        let check = try #require(try ExerciseCheck.all(in: chapter).first)
        let nearMiss = "swiftboot: hello\nswiftboot: IDT at 0xffff, handler for vectors 0 to 31\n"
        #expect(check.problems(with: result(nearMiss, status: 43)) == [
            "missing line: the console never showed\n      swiftboot: IDT at 0x…, handlers\n    after the line\n      swiftboot: hello"
                + "\n    the closest line the console showed (line 2):\n      swiftboot: IDT at 0xffff, handler for vectors 0 to 31",
        ])
        let early = "swiftboot: IDT at 0xffff, handlers\nswiftboot: hello\n"
        #expect(check.problems(with: result(early, status: 43)) == [
            "missing line: the console never showed\n      swiftboot: IDT at 0x…, handlers\n    after the line\n      swiftboot: hello"
                + "\n    it came earlier, as console line 1: the lines must come in the checker's order",
        ])
        #expect(ExerciseCheck.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(ExerciseCheck.closestLine(to: "swiftboot: magic 0x2badb002", in: ["kernel: all 16 checks passed"][...]) == nil)
    }

    /// `rip-in:` ties a fault to the function it must happen in.
    @Test func ripInNamesTheFunctionTheFaultWasIn() throws {
        let text = "# 6. A\n\n```exercise id=6.1\nexit: 43\nrip-in: cpu_ud2\n```\n"
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/06-a.md", number: 6, text: text)).first)
        #expect(check.ripIn == "cpu_ud2")
        let report = "swiftboot: CPU exception #UD (invalid opcode), vector 6\nswiftboot:   rip=0xffffffff80201234 cs=0x0008\n"
        #expect(check.problems(with: result(report, status: 43)) { _ in "cpu_ud2" } == [])
        #expect(check.problems(with: result(report, status: 43)) { $0 == 0xffffffff80201234 ? "$e9SwiftBoot9swiftMain" : nil } == [
            "fault address: rip=0xffffffff80201234 is in $e9SwiftBoot9swiftMain, not in cpu_ud2",
        ])
        #expect(check.problems(with: result("swiftboot: hello\n", status: 43)) == [
            "fault address: no fault to look at: the console shows no rip=0x…, and QEMU's log no exception; expected one in cpu_ud2",
        ])
        // Before chapter 6 nothing reports a fault: the first exception of
        // QEMU's log (a second boot, after the triple fault) says where.
        let log = """
            check_exception old: 0xffffffff new 0xe
                 0: v=0e e=0002 i=0 cpl=0 IP=0008:00000000002002d7 pc=00000000002002d7 SP=0000:ffffffff80219000 CR2=ffffffff80218ff8
            check_exception old: 0xe new 0xe
                 1: v=08 e=0000 i=0 cpl=0 IP=0008:00000000002002d7 pc=00000000002002d7 SP=0000:ffffffff80219000 env->regs[R_EAX]=0
            Triple fault
            """
        let fault = try #require(FaultTriage.parse(log: log).exceptions.first)
        let boot = result("swiftboot: page tables ready\n", status: 0)
        #expect(check.problems(with: boot, fault: fault) { $0 == 0x2002d7 ? "cpu_ud2" : nil }.filter { $0.hasPrefix("fault") } == [])
        #expect(check.problems(with: boot, fault: fault) { $0 == 0x2002d7 ? "entry64" : nil }.filter { $0.hasPrefix("fault") } == [
            "fault address: the first exception, #PF page fault, was at 0x00000000002002d7 in entry64, not in cpu_ud2",
        ])
        let bad = "# 6. A\n\n```exercise id=6.1\nrip-in: cpu ud2\n```\n"
        #expect(throws: DiagnosticError.self) { try ExerciseCheck.all(in: Chapter(path: "chapters/06-a.md", number: 6, text: bad)) }
    }

    @Test func parsesTheDebugSessionAndOutputKeys() throws {
        let text = """
            # 4. A

            ```exercise id=4.3
            break: swift_main
            break: enable paging and long mode
            gdb: monitor info tlb
            print: $cr3
            output: serial
            line-ends: crlf
            expect:
            swiftboot: hello
            debug:
              (gdb) monitor info tlb
            0000000000001000: 0000000000001000 …
            debug-reject:
            0000000000000000: 0000000000000000 X-P-----W
            ```
            """
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/04-a.md", number: 4, text: text)).first)
        #expect(check.breakpoints == ["swift_main", "enable paging and long mode"])
        #expect(check.isDebugSession)
        #expect(check.gdbCommands == ["monitor info tlb"])
        #expect(check.prints == ["$cr3"])
        #expect(check.output == .serial)
        #expect(check.lineEnds == .crlf)
        #expect(check.expected == ["swiftboot: hello"])
        #expect(check.debugExpected == ["(gdb) monitor info tlb", "0000000000001000: 0000000000001000 …"])
        #expect(check.debugRejected == ["0000000000000000: 0000000000000000 X-P-----W"])
    }

    @Test func debugKeysWithoutABreakpointAndExitInASessionAreErrors() throws {
        let text = """
            ```exercise id=4.3
            gdb: info registers
            ```

            ```exercise id=4.4
            break: swift_main
            exit: 0
            rip-in: swift_main
            output: radio
            line-ends: cr
            break: a
            break: b
            break: c
            break: d
            ```
            """
        #expect {
            try ExerciseCheck.all(in: Chapter(path: "chapters/04-a.md", number: 4, text: text))
        } throws: { error in
            let text = "\(error)"
            return text.contains("chapters/04-a.md:1:1: error: gdb:, print:, debug: and debug-reject: belong to a debug session: add a break: line")
                && text.contains("chapters/04-a.md:7:1: error: exit: is not checked in a debug session (break:), which GDB ends")
                && text.contains("chapters/04-a.md:5:1: error: rip-in: and cr2-in: read a fault's report; a debug session shows the registers itself")
                && text.contains("chapters/04-a.md:9:1: error: output: takes console or serial")
                && text.contains("chapters/04-a.md:10:1: error: line-ends: takes crlf or lf")
                && text.contains("chapters/04-a.md:14:1: error: at most 4 break: lines: the processor has four debug address registers")
        }
    }

    @Test func lineEndsNameTheFirstLineThatEndsOtherwise() {
        #expect(ExerciseCheck.lineEndProblems(in: "a\r\nb\r\n", wanted: .crlf) == [])
        #expect(ExerciseCheck.lineEndProblems(in: "a\r\nb\nc\r\n", wanted: .crlf) == [
            "line ends: line 2 ends in a bare LF, not CR LF\n      b",
        ])
        #expect(ExerciseCheck.lineEndProblems(in: "a\nb\r\n", wanted: .lf) == [
            "line ends: line 2 ends in CR LF, not a bare LF\n      b",
        ])
        #expect(ExerciseCheck.lineEndProblems(in: "a\r\nb", wanted: .crlf) == [
            "line ends: the last line has no line end at all\n      b",
        ])
        #expect(ExerciseCheck.lineEndProblems(in: "", wanted: .crlf) == [])
    }

    @Test func theSerialPortsLinesAreReadWithoutGRUBsCarriageReturns() throws {
        let text = "# 5. A\n\n```exercise id=5.2\noutput: serial\nexit: timeout\nexpect:\nerror: unsupported information tag: 0x63.\n```\n"
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/05-a.md", number: 5, text: text)).first)
        let grub = "\r\u{1b}[0m\r\nerror: unsupported information tag: 0x63.\r\n"
        #expect(check.problems(with: result("\rerror: unsupported information tag: 0x63.\r\n", status: 0, timedOut: true)) == [])
        #expect(check.problems(with: result(grub.replacingOccurrences(of: "0x63", with: "0x64"), status: 0, timedOut: true)) == [
            "missing line: the serial port never showed\n      error: unsupported information tag: 0x63.\n    the closest line the serial port showed (line 2):\n      error: unsupported information tag: 0x64.",
        ])
    }

    @Test func cr2InNamesTheSymbolThePageFaultWasIn() throws {
        let text = "# 4. A\n\n```exercise id=4.1\nexit: 0\ncr2-in: cpu_halt\n```\n"
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/04-a.md", number: 4, text: text)).first)
        let boot = result("swiftboot: hello\n", status: 0)
        let symbols: (UInt64) -> String? = { $0 == 0xffffffff80201000 ? "cpu_halt" : $0 == 0x1000 ? nil : "swift_main" }
        #expect(check.problems(with: boot, pageFaultCR2: 0xffffffff80201000, symbol: symbols) == [])
        #expect(check.problems(with: boot, pageFaultCR2: 0xffffffff80203000, symbol: symbols) == [
            "fault CR2: the first page fault's CR2, 0xffffffff80203000, is in swift_main, not in cpu_halt",
        ])
        #expect(check.problems(with: boot, pageFaultCR2: 0x1000, symbol: symbols) == [
            "fault CR2: the first page fault's CR2, 0x0000000000001000, is in no symbol of swiftboot.elf64, not in cpu_halt",
        ])
        #expect(check.problems(with: boot, symbol: symbols) == [
            "fault CR2: no page fault to look at: the console shows no cr2=0x…, and QEMU's log no page fault; expected one in cpu_halt",
        ])
        // From chapter 6 on, swiftboot's own report shows CR2.
        let report = result("swiftboot:   cr2=0xffffffff80201000: page present, write, supervisor\n", status: 0)
        #expect(check.problems(with: report, symbol: symbols) == [])
    }

    @Test func aDebugSessionIsCheckedAgainstItsReport() throws {
        let text = """
            # 4. A

            ```exercise id=4.3
            break: swift_main
            break: cpu_halt
            gdb: monitor info tlb
            debug:
            stopped at 0x… in swift_main…
            0000000000001000: 0000000000001000 …
            debug-reject:
            0000000000000000: 0000000000000000 X-P-----W
            ```
            """
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/04-a.md", number: 4, text: text)).first)
        func report(_ tlb: [String], stops: Int = 2) -> DebugSession.BatchReport {
            let stop = DebugSession.Stop(breakpoint: nil, pc: 0xffffffff8020d0f4, cr0: 0x80010011, efer: 0xd00,
                                         place: nil, prints: [], commands: [("monitor info tlb", tlb.joined(separator: "\n"))])
            return DebugSession.BatchReport(breakpoints: [], stops: Array(repeating: stop, count: stops),
                                            ending: stops < 2 ? "swiftboot did not reach another breakpoint" : nil, gdbOutput: "")
        }
        // The report names no function without symbols: the stop line reads
        // "stopped at 0xffffffff8020d0f4", so the first line never matches.
        let boot = result("", status: 0)
        #expect(check.problems(with: boot, debug: report(["0000000000001000: 0000000000001000 X-------W"])) == [
            "debug: the session's report never showed\n      stopped at 0x… in swift_main…",
        ])
        var check2 = check
        check2.debugExpected = ["0000000000001000: 0000000000001000 …"]
        #expect(check2.problems(with: boot, debug: report(["0000000000001000: 0000000000001000 X-------W"])) == [])
        #expect(check2.problems(with: boot, debug: report(["0000000000000000: 0000000000000000 X-P-----W"], stops: 1)) == [
            "debug: the session stopped at 1 of 2 breakpoint(s): swiftboot did not reach another breakpoint",
            "debug: the session's report never showed\n      0000000000001000: 0000000000001000 …\n    the closest line it showed:\n      0000000000000000: 0000000000000000 X-P-----W",
            "debug: the session's report should not show\n      0000000000000000: 0000000000000000 X-P-----W",
        ])
        // The exit status is GDB's business in a session, not the checker's.
        #expect(check2.problems(with: result("", status: 7), debug: report(["0000000000001000: 0000000000001000 X"])) == [])
    }

    /// A Swift function can be named as the source names it, by its whole
    /// demangled name or its base name; the symbol still works.
    @Test func ripInTakesASwiftFunctionsName() throws {
        let mangled = "$e9SwiftBoot9swiftMain5magic4info10loadOffsets5NeverOs6UInt32V_AISitF"
        let report = result("swiftboot:   rip=0xffffffff80201234 cs=0x0008\n", status: 43)
        for name in ["swiftMain", "swiftMain(magic:info:loadOffset:)", mangled] {
            let text = "# 12. A\n\n```exercise id=12.1\nexit: 43\nrip-in: \(name)\n```\n"
            let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/12-a.md", number: 12, text: text)).first)
            #expect(check.problems(with: report, function: { _ in mangled },
                                   swiftName: { $0 == mangled ? "swiftMain(magic:info:loadOffset:)" : nil }) == [], "\(name)")
        }
        let text = "# 12. A\n\n```exercise id=12.1\nexit: 43\nrip-in: swiftMai\n```\n"
        let check = try #require(try ExerciseCheck.all(in: Chapter(path: "chapters/12-a.md", number: 12, text: text)).first)
        #expect(check.problems(with: report, function: { _ in mangled }, swiftName: { _ in "swiftMain(magic:info:loadOffset:)" }) == [
            "fault address: rip=0xffffffff80201234 is in \(mangled), not in swiftMai",
        ])
        #expect(ExerciseCheck.symbol("cpu_ud2", swiftName: nil, isNamed: "cpu_ud2"))
        #expect(!ExerciseCheck.symbol(nil, swiftName: nil, isNamed: "cpu_ud2"))
    }

    @Test func swiftDemangleNamesASwiftSymbol() {
        #expect(AddressLookup.swiftName(of: "$e9SwiftBoot9swiftMain5magic4info10loadOffsets5NeverOs6UInt32V_AISitF")
                == "swiftMain(magic:info:loadOffset:)")
        #expect(AddressLookup.swiftName(of: "cpu_ud2") == nil)
    }

    @Test func solutionsAreAppendedToTheirChapter() {
        let solution = ExerciseSolution(id: "4.1", path: "solutions/04-a/4.1.md", text: "```swift chunk=\"x\" append\nfoo()\n```\n")
        #expect(solution.chapter == 4)
        #expect(solution.applied(to: "# 4. A\n") == """
            # 4. A

            <!-- The reference solution of exercise 4.1, from solutions/04-a/4.1.md. -->

            ```swift chunk="x" append
            foo()
            ```

            """)
    }

    @Test func relabelsChapterPathsOfDiagnostics() {
        let text = "chapters/03-a.md:5:3: error: x\n  note: see \"chapters/03-a.md\"\nmychapters/x"
        #expect(ExerciseWorkspace.relabel(text, prefix: "exercises/03") ==
            "exercises/03/chapters/03-a.md:5:3: error: x\n  note: see \"exercises/03/chapters/03-a.md\"\nmychapters/x")
    }
}

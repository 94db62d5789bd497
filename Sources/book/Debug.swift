import ArgumentParser
import BookKit
import Foundation

struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build swiftboot, start it halted in QEMU and debug it with GDB at chapter lines.",
        discussion: """
            QEMU waits before the first instruction with its GDB stub on a free loopback TCP port; GDB loads \
            build/swiftboot.elf64, whose line tables name chapter lines, and sets hardware breakpoints \
            (they work before paging is on). A breakpoint is a chapter line (chapters/03-long-mode.md:120), \
            a chunk name ("enable paging and long mode": its first instruction), or a symbol (swift_main). \
            Without --batch, GDB is yours: `continue`, `info registers`, `x/8i $pc`, `monitor info mem`. \
            With --batch, GDB stops at each breakpoint once and book prints where it stopped and the values \
            asked for with --print. In an interactive session the debug console's output goes to build/debug/debugcon.log.
            """
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Option(name: .customLong("protocol"), help: "How QEMU starts swiftboot: mb1, mb2 or pvh.")
    var bootProtocol: QemuBoot.BootProtocol = .multiboot1

    @Option(name: .customLong("break"), help: "Where to stop: chapters/NN-x.md:LINE, a chunk name or a symbol (repeatable, at most 4).")
    var breakpoints: [String] = []

    @Option(name: .customLong("print"), help: "A register (eax, cr3) or GDB expression to print in hex at every stop (repeatable).")
    var prints: [String] = []

    @Option(name: .customLong("command"), help: "A GDB command to run at every stop, e.g. \"x/2i $pc\" or \"monitor info mem\" (repeatable).")
    var commands: [String] = []

    @Option(help: "Where a loader moved the image, for the low-half symbols (GDB's symbol-file -o).")
    var loadOffset: Int64?

    @Flag(help: "Run GDB non-interactively: stop at each breakpoint once, report, end.")
    var batch = false

    @Option(help: "Seconds before a batch session is stopped.")
    var timeout: Double = 60

    func validate() throws {
        if batch && breakpoints.isEmpty { throw ValidationError("a batch session needs at least one --break") }
    }

    func run() throws {
        let book = try options.loadBook()
        let codeState = CodeState(book: book, chapter: state.upto)
        report(try codeState.build())
        let image = codeState.recipe.elf64
        print("book: symbols and lines of \(Where.shown(image, root: book.root))")
        let resolved = try Breakpoint.resolve(breakpoints, in: codeState)
        let session = DebugSession(
            boot: try codeState.boot(using: bootProtocol, timeout: timeout),
            symbolFile: image, root: book.root, breakpoints: resolved, prints: prints, commands: commands,
            loadOffset: loadOffset, timeout: timeout,
            // A batch session's files are its own: two sessions on one
            // book (a test suite runs them side by side) must not share
            // GDB's transcript. The interactive one's are where the
            // reader is told to look.
            scratch: codeState.recipe.output.appendingPathComponent(batch ? "debug/batch-\(getpid())" : "debug")
        )
        if batch {
            let report = try session.runBatch()
            try? FileManager.default.removeItem(at: session.scratch)
            print(report.description, terminator: "")
            if report.stops.count < resolved.count { throw ExitCode.failure }
        } else {
            for breakpoint in resolved where breakpoint.note != nil {
                print("book: breakpoint \(breakpoint.request): \(breakpoint.note!)")
            }
            print("book: QEMU waits at the reset vector; `continue` starts it.")
            print("book: the debug console goes to \(session.debugConsoleLog.path), QEMU's monitor is at \(session.monitorSocket.path)")
            fflush(nil)
            let status = try session.runInteractive()
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct Where: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map an address of swiftboot to its function and chapter line.",
        discussion: """
            ADDRESS is a virtual address (a RIP from QEMU's -d int log) or a physical one inside the image's \
            load range (p_paddr, converted to the virtual address through the ELF program headers: the \
            Swift segments live at physical + HIGH_HALF_OFFSET). Uses build/swiftboot.elf64 of the code \
            state, built first.
            """
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Option(help: "Where a loader moved the image (swiftboot prints it); subtracted from low-half addresses.")
    var loadOffset: String = "0"

    @Argument(help: "Addresses, hex with 0x or decimal.")
    var addresses: [String]

    func validate() throws {
        for address in addresses + [loadOffset] where Self.number(address) == nil {
            throw ValidationError("not an address: \(address)")
        }
    }

    func run() throws {
        let values = addresses.map { Self.number($0)! }
        let offset = Self.number(loadOffset)!
        let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
        report(try codeState.build())
        let lookup = try AddressLookup(image: codeState.recipe.elf64)
        print("book: symbols and lines of \(Self.shown(codeState.recipe.elf64, root: codeState.book.root))")
        for result in try lookup.lookUp(values, loadOffset: Int64(bitPattern: offset)) {
            print(result.description)
        }
    }

    /// `build/…` relative to the book's root when it is inside it.
    static func shown(_ image: URL, root: URL) -> String {
        let path = image.standardizedFileURL.path, prefix = root.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// `text` as a number, hex with 0x or decimal, with `_` or `` ` ``
    /// allowed between digits; nil when it is not one.
    static func number(_ text: String) -> UInt64? {
        let clean = text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "`", with: "")
        return clean.lowercased().hasPrefix("0x") ? UInt64(clean.dropFirst(2), radix: 16) : UInt64(clean)
    }
}

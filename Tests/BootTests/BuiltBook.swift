import BookKit
import Foundation

/// The whole book, tangled and built once for every test that only boots
/// it (in different ways): a copy of the chapters in a fresh folder.
let builtBook: Result<CodeState, Error> = Result {
    let state = CodeState(book: try copyOfTheBook())
    try state.build()
    return state
}

/// A copy of `elf32` (an ELF32 executable) in a fresh file, with its entry
/// point replaced by `entry` and every program header's physical address
/// and the entry moved by `shift` bytes.
func patchedELF32(_ elf32: URL, entry: UInt32? = nil, shift: UInt32 = 0) throws -> URL {
    var bytes = [UInt8](try Data(contentsOf: elf32))
    func read(_ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
    func write(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
    // ELF32: e_entry at 24, e_phoff at 28, e_phentsize at 42, e_phnum at 44;
    // a program header has p_vaddr at 8 and p_paddr at 12. QEMU turns an
    // entry inside a segment's virtual range into a physical address
    // through that segment, so the boot segment (virtual = physical) moves
    // in both.
    write((entry ?? read(24)) &+ shift, at: 24)
    let phoff = Int(read(28))
    let phentsize = Int(bytes[42]) | Int(bytes[43]) << 8
    let phnum = Int(bytes[44]) | Int(bytes[45]) << 8
    for index in 0..<phnum {
        let vaddr = phoff + index * phentsize + 8, paddr = vaddr + 4
        if read(vaddr) == read(paddr) { write(read(vaddr) &+ shift, at: vaddr) }
        write(read(paddr) &+ shift, at: paddr)
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftboot-\(UUID().uuidString).elf32")
    try Data(bytes).write(to: url)
    return url
}

/// The address of `symbol` in an ELF file, from llvm-nm.
func symbolAddress(_ symbol: String, in image: URL) throws -> UInt32 {
    let output = try Command(Tool(name: "llvm-nm", installHint: "it comes with the Swift 6.3 toolchain"), [image.path]).check()
    for line in output.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if fields.count == 3, fields[2] == symbol, let address = UInt64(fields[0], radix: 16) {
            return UInt32(truncatingIfNeeded: address)
        }
    }
    throw DiagnosticError([.error("no symbol \(symbol) in \(image.path)", at: nil)])
}

/// One copy of the book whose chapter states are built at most once, for
/// every test that boots the unmodified code after chapter N.
let sharedCopyOfTheBook: Result<Book, Error> = Result { try copyOfTheBook() }

/// The state after chapter N, built once (in `sharedCopyOfTheBook`).
func builtChapterState(_ number: Int) throws -> CodeState {
    try ChapterStateCache.shared.state(number)
}

final class ChapterStateCache: @unchecked Sendable {
    static let shared = ChapterStateCache()
    private let lock = NSLock()
    private var locks: [Int: NSLock] = [:]
    private var states: [Int: Result<CodeState, Error>] = [:]

    func state(_ number: Int) throws -> CodeState {
        lock.lock()
        let chapterLock = locks[number] ?? NSLock()
        locks[number] = chapterLock
        lock.unlock()
        chapterLock.lock()
        defer { chapterLock.unlock() }
        lock.lock()
        let cached = states[number]
        lock.unlock()
        if let cached { return try cached.get() }
        let result = Result {
            let state = CodeState(book: try sharedCopyOfTheBook.get(), chapter: number)
            try state.build()
            return state
        }
        lock.lock()
        states[number] = result
        lock.unlock()
        return try result.get()
    }
}

import Foundation

extension Tool {
    public static let objdump = Tool(name: "llvm-objdump", installHint: "it comes with the Swift 6.3 toolchain")
}

/// The chapter lines that have machine code in an image, from the DWARF
/// line table (as `llvm-objdump --line-numbers` prints it next to the
/// disassembly): which lines a debugger can stop at, and where.
public struct LineTable: Sendable {
    /// The addresses where each chapter line's code starts.
    public private(set) var addresses: [SourceLine: [UInt64]] = [:]

    public struct SourceLine: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var file: String
        public var line: Int

        public init(file: String, line: Int) {
            self.file = file
            self.line = line
        }

        public var description: String { "\(file):\(line)" }

        public static func < (a: SourceLine, b: SourceLine) -> Bool { (a.file, a.line) < (b.file, b.line) }
    }

    public init(image: URL) throws {
        self.init(objdumpOutput: try Command(.objdump, ["-d", "--line-numbers", "--no-show-raw-insn", image.path]).check())
    }

    /// Parses `; FILE:LINE` comments, each followed by the instructions
    /// of that line (`  20000c: cli`).
    init(objdumpOutput output: String) {
        var current: SourceLine?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("; ") {
                current = nil
                let text = line.dropFirst(2)
                if let colon = text.lastIndex(of: ":"), let number = Int(text[text.index(after: colon)...]), number > 0 {
                    current = SourceLine(file: AddressLookup.relative(String(text[..<colon])), line: number)
                }
                continue
            }
            guard let source = current else { continue }
            let trimmed = line.drop { $0 == " " }
            guard let colon = trimmed.firstIndex(of: ":"), let address = UInt64(trimmed[..<colon], radix: 16) else { continue }
            addresses[source, default: []].append(address)
            current = nil  // the line's first instruction is enough
        }
    }

    public func hasCode(_ line: SourceLine) -> Bool { addresses[line] != nil }

    /// The closest lines of the same file that have code, before and after
    /// `line` (which itself has none).
    public func nearestLinesWithCode(around line: SourceLine) -> (before: SourceLine?, after: SourceLine?) {
        let same = addresses.keys.filter { $0.file == line.file }
        return (same.filter { $0.line < line.line }.max(), same.filter { $0.line > line.line }.min())
    }

    /// Every chapter file the image has code from.
    public var files: Set<String> { Set(addresses.keys.map(\.file)) }
}

import Foundation

extension Tool {
    public static let symbolizer = Tool(name: "llvm-symbolizer", installHint: "it comes with the Swift 6.3 toolchain")
    public static let swiftDemangle = Tool(name: "swift-demangle", installHint: "it comes with the Swift 6.3 toolchain")
    public static let nm = Tool(name: "llvm-nm", installHint: "it comes with the Swift 6.3 toolchain")
    public static let gdb = Tool(name: "gdb", installHint: "apt-get install gdb")
    public static let dwarfdump = Tool(name: "llvm-dwarfdump", installHint: "apt-get install llvm")
}

/// Maps addresses of swiftboot (a RIP from a crash log, a return address
/// on a stack) to the function and the chapter line, through the symbol
/// table and the DWARF line table of the ELF64 image: what `book where`
/// prints and what the triple-fault triage uses.
public struct AddressLookup: Sendable {
    public var image: URL
    public var elf: ELFImage

    public init(image: URL) throws {
        self.image = image
        self.elf = try ELFImage(contentsOf: image)
    }

    /// One function the address lies in; several when the compiler inlined
    /// one into another (innermost first).
    public struct Frame: Sendable, Hashable {
        /// Demangled for Swift functions (`swiftMain(magic:info:loadOffset:)`).
        public var function: String
        /// The symbol as the linker sees it.
        public var symbol: String
        public var location: SourceLocation?
    }

    public struct Result: Sendable {
        /// The address as asked.
        public var address: UInt64
        /// The link-time virtual address looked up.
        public var virtualAddress: UInt64
        /// How `address` became `virtualAddress`, for the reader.
        public var translation: String?
        public var segment: ELFImage.Segment?
        /// Innermost first; empty when no function covers the address.
        public var frames: [Frame]
        /// The nearest symbol at or below the address, and the distance to it.
        public var nearestSymbol: (name: String, offset: UInt64)?

        /// The innermost chapter location, if any.
        public var location: SourceLocation? { frames.first?.location }

        public var description: String {
            var lines: [String] = []
            var head = String(format: "0x%llx", address)
            if let translation { head += " (\(translation))" }
            if let segment {
                head += ": in the \(segment.permissions) segment at " + String(format: "0x%llx", segment.virtualAddress)
            } else {
                head += ": outside swiftboot's segments"
            }
            lines.append(head)
            for (index, frame) in frames.enumerated() {
                let place = frame.location.map { " at \($0.file):\($0.line)" + ($0.column > 0 ? ":\($0.column)" : "") } ?? " (no line information)"
                lines.append("  \(index == 0 ? "in" : "inlined into") \(frame.function)\(place)")
            }
            if frames.isEmpty, let nearestSymbol {
                lines.append("  at \(nearestSymbol.name)" + (nearestSymbol.offset == 0 ? "" : String(format: "+0x%llx", nearestSymbol.offset)))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Looks up `address`. A physical address in a segment's load range
    /// is first turned into its link-time virtual address (p_paddr →
    /// p_vaddr); `loadOffset` (where a loader moved the image, as swiftboot
    /// prints it) is subtracted from addresses below the high half.
    public func lookUp(_ address: UInt64, loadOffset: Int64 = 0) throws -> Result {
        try lookUp([address], loadOffset: loadOffset)[0]
    }

    public func lookUp(_ addresses: [UInt64], loadOffset: Int64 = 0) throws -> [Result] {
        var results = addresses.map { address -> Result in
            var virtual = address
            var translation: String?
            let highHalf: UInt64 = 0xffff_8000_0000_0000
            if address < highHalf, loadOffset != 0 {
                virtual = address &- UInt64(bitPattern: loadOffset)
                translation = String(format: "link address 0x%llx", virtual)
            }
            if elf.segment(containingVirtual: virtual) == nil, let mapped = elf.virtualAddress(ofPhysical: virtual), mapped != virtual {
                translation = String(format: "physical; virtual 0x%llx", mapped)
                virtual = mapped
            }
            return Result(
                address: address, virtualAddress: virtual, translation: translation,
                segment: elf.segment(containingVirtual: virtual), frames: [], nearestSymbol: nil
            )
        }
        guard !results.isEmpty else { return [] }
        let output = try Command(
            .symbolizer,
            ["--output-style=JSON", "--relativenames", "--inlines", "--no-demangle", "--obj=\(image.path)"]
                + results.map { String(format: "0x%llx", $0.virtualAddress) }
        ).check()
        let decoded = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [[String: Any]] ?? []
        var mangled: Set<String> = []
        // Only code has functions and lines; for data the nearest symbol says more.
        for (index, entry) in decoded.enumerated() where index < results.count && (results[index].segment?.flags ?? 1) & 1 != 0 {
            for symbol in entry["Symbol"] as? [[String: Any]] ?? [] {
                guard let name = symbol["FunctionName"] as? String, !name.isEmpty else { continue }
                let file = symbol["FileName"] as? String ?? ""
                let line = symbol["Line"] as? Int ?? 0
                let column = symbol["Column"] as? Int ?? 0
                let location = file.isEmpty || line == 0 ? nil : SourceLocation(file: Self.relative(file), line: line, column: column)
                results[index].frames.append(Frame(function: name, symbol: name, location: location))
                if name.hasPrefix("$s") || name.hasPrefix("$e") { mangled.insert(name) }
            }
        }
        let names = try Self.demangle(Array(mangled))
        for index in results.indices {
            for frame in results[index].frames.indices {
                results[index].frames[frame].function = names[results[index].frames[frame].symbol] ?? results[index].frames[frame].symbol
            }
            if results[index].frames.isEmpty {
                results[index].nearestSymbol = try nearestSymbol(to: results[index].virtualAddress)
            }
        }
        return results
    }

    /// `chapters/…` relative to the book even when the compiler recorded
    /// an absolute path.
    static func relative(_ file: String) -> String {
        if let range = file.range(of: "/chapters/", options: .backwards) { return "chapters/" + file[range.upperBound...] }
        return file
    }

    /// A Swift symbol's name as its source spells it
    /// (`swiftMain(magic:info:loadOffset:)`); nil for other symbols.
    public static func swiftName(of symbol: String) -> String? {
        guard symbol.hasPrefix("$e") || symbol.hasPrefix("$s") || symbol.hasPrefix("_$s"),
              let name = (try? demangle([symbol]))?[symbol], !name.isEmpty, name != symbol
        else { return nil }
        return name
    }

    private static func demangle(_ names: [String]) throws -> [String: String] {
        guard !names.isEmpty else { return [:] }
        let output = try Command(.swiftDemangle, ["--simplified"] + names).check()
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var result: [String: String] = [:]
        for (name, line) in zip(names, lines) {
            // swift-demangle prints "mangled ---> demangled" for arguments.
            if let arrow = line.range(of: " ---> ") { result[name] = String(line[arrow.upperBound...]) } else { result[name] = String(line) }
        }
        return result
    }

    private var symbols: [(address: UInt64, name: String)] {
        get throws {
            let output = try Command(.nm, ["-n", "--defined-only", image.path]).check()
            return output.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ")
                guard fields.count == 3, "tTdDbBrR".contains(fields[1]), let address = UInt64(fields[0], radix: 16) else { return nil }
                return (address, String(fields[2]))
            }
        }
    }

    /// The symbol (function) whose code holds `address`: the nearest
    /// symbol at or below it, in an executable segment; nil elsewhere.
    public func symbol(containing address: UInt64) throws -> String? {
        guard let segment = elf.segment(containingVirtual: address), segment.flags & 1 != 0 else { return nil }
        return try nearestSymbol(to: address)?.name
    }

    /// The symbol at or below `address` inside the segment that holds it,
    /// code or data: a page fault's CR2 may lie in either.
    public func symbol(at address: UInt64) throws -> String? {
        try nearestSymbol(to: address)?.name
    }

    private func nearestSymbol(to address: UInt64) throws -> (name: String, offset: UInt64)? {
        guard let segment = elf.segment(containingVirtual: address) else { return nil }
        guard let symbol = try symbols.last(where: { $0.address <= address }),
              symbol.address >= segment.virtualAddress
        else { return nil }
        return (symbol.name, address - symbol.address)
    }
}

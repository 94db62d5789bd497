import Foundation

/// The few facts of an ELF64 image that debugging needs: the entry point
/// and the loadable segments with their virtual (`p_vaddr`) and physical
/// (`p_paddr`) addresses.
public struct ELFImage: Sendable {
    public struct Segment: Sendable, Hashable {
        public var virtualAddress: UInt64
        public var physicalAddress: UInt64
        public var memorySize: UInt64
        /// PF_X = 1, PF_W = 2, PF_R = 4.
        public var flags: UInt32

        public var permissions: String {
            (flags & 4 != 0 ? "r" : "-") + (flags & 2 != 0 ? "w" : "-") + (flags & 1 != 0 ? "x" : "-")
        }
    }

    public var entry: UInt64
    public var segments: [Segment]

    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        func problem(_ text: String) -> DiagnosticError {
            DiagnosticError([.error("\(url.path): \(text)", at: nil)])
        }
        guard bytes.count >= 64, bytes[0..<4] == [0x7f, 0x45, 0x4c, 0x46] else { throw problem("not an ELF file") }
        guard bytes[4] == 2, bytes[5] == 1 else { throw problem("not a little-endian ELF64 file") }
        func read(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
        }
        entry = read(24, 8)
        let phoff = Int(read(32, 8)), phentsize = Int(read(54, 2)), phnum = Int(read(56, 2))
        guard phoff + phnum * phentsize <= bytes.count, phentsize >= 56 else { throw problem("truncated program headers") }
        segments = (0..<phnum).compactMap { index in
            let header = phoff + index * phentsize
            guard read(header, 4) == 1 else { return nil }  // PT_LOAD
            return Segment(
                virtualAddress: read(header + 16, 8), physicalAddress: read(header + 24, 8),
                memorySize: read(header + 40, 8), flags: UInt32(read(header + 4, 4))
            )
        }
    }

    /// The segment whose virtual addresses contain `address`.
    public func segment(containingVirtual address: UInt64) -> Segment? {
        segments.first { address >= $0.virtualAddress && address - $0.virtualAddress < $0.memorySize }
    }

    /// The virtual (link-time) address of a physical link-time address:
    /// p_paddr → p_vaddr of the segment that holds it. For the Swift
    /// segments this adds the linker script's HIGH_HALF_OFFSET; for the
    /// identity-mapped boot segment it changes nothing.
    public func virtualAddress(ofPhysical address: UInt64) -> UInt64? {
        guard let segment = segments.first(where: { address >= $0.physicalAddress && address - $0.physicalAddress < $0.memorySize })
        else { return nil }
        return address - segment.physicalAddress + segment.virtualAddress
    }
}

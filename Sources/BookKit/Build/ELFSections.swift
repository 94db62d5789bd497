import Foundation

/// The section headers of an ELF64 file, read just far enough to know the
/// sections' names and whether they are loaded: the build looks for
/// sections that only one of its images should carry.
public struct ELFSection: Hashable, Sendable {
    public var name: String
    /// SHF_ALLOC: the section occupies memory when the image is loaded.
    public var isAllocated: Bool

    /// The sections of the little-endian ELF64 file at `url`.
    public static func all(in url: URL) throws -> [ELFSection] {
        let bytes = [UInt8](try Data(contentsOf: url))
        func integer(_ offset: Int, _ size: Int) throws -> Int {
            guard offset >= 0, offset + size <= bytes.count else {
                throw DiagnosticError([.error("\(url.path): truncated ELF file", at: nil)])
            }
            return (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        // e_ident: "\x7fELF", class 2 (64-bit), data 1 (little endian).
        guard bytes.count >= 64, bytes[0..<4].elementsEqual([0x7f, 0x45, 0x4c, 0x46]), bytes[4] == 2, bytes[5] == 1 else {
            throw DiagnosticError([.error("\(url.path): not a little-endian ELF64 file", at: nil)])
        }
        let headers = try integer(0x28, 8)       // e_shoff
        let entrySize = try integer(0x3a, 2)     // e_shentsize
        let count = try integer(0x3c, 2)         // e_shnum
        let namesIndex = try integer(0x3e, 2)    // e_shstrndx
        func header(_ index: Int) -> Int { headers + index * entrySize }
        let names = try integer(header(namesIndex) + 0x18, 8)  // sh_offset of .shstrtab
        return try (0..<count).map { index in
            var start = names + (try integer(header(index), 4))  // sh_name
            var name: [UInt8] = []
            while start < bytes.count, bytes[start] != 0 {
                name.append(bytes[start])
                start += 1
            }
            let flags = try integer(header(index) + 0x08, 8)       // sh_flags
            return ELFSection(name: String(decoding: name, as: UTF8.self), isAllocated: flags & 0x2 != 0)
        }
    }
}

import Foundation

/// A file the generator writes: a header naming its chapters and carrying a
/// checksum of the body (`GeneratedFileHeader`), then the body.
public struct GeneratedFile: Hashable, Sendable {
    public var path: String
    public var body: String
    public var chapters: [String]
    /// An export for tools that take no annotations: the body alone, with
    /// no header (and so no hand-edit protection).
    public var isBare: Bool
    /// A binary file (a chapter's image), written byte for byte; `body` is
    /// empty. It cannot carry the header, so its checksum goes into the
    /// checksum list of its folder instead (`ChecksumList`).
    public var bytes: Data?

    public init(path: String, body: String, chapters: [String], isBare: Bool = false) {
        self.path = path
        self.body = body
        self.chapters = chapters
        self.isBare = isBare
    }

    public init(path: String, bytes: Data, chapters: [String]) {
        self.init(path: path, body: "", chapters: chapters)
        self.bytes = bytes
    }

    /// The complete text written to disk.
    public var contents: String {
        isBare ? body : GeneratedFileHeader.render(path: path, chapters: chapters, body: body) + body
    }

    /// What a file on disk says about itself.
    public enum Provenance: Equatable, Sendable {
        /// It carries no header: not written by the generator.
        case foreign
        /// Its body still matches the checksum the generator wrote.
        case generated(body: String)
        /// Its body no longer matches: someone edited it.
        case editedByHand
    }

    public static func provenance(of contents: String) -> Provenance {
        guard let header = GeneratedFileHeader(parsing: contents[...]) else { return .foreign }
        let body = String(header.body)
        return Checksum.hex(of: body) == header.recordedChecksum ? .generated(body: body) : .editedByHand
    }
}

/// FNV-1a, 64 bits: enough to notice an edit, no dependency needed.
enum Checksum {
    static func hex(of text: String) -> String {
        var copy = text
        return copy.withUTF8 { hex(of: UnsafeRawBufferPointer($0)) }
    }

    static func hex(of data: Data) -> String {
        data.withUnsafeBytes { hex(of: $0) }
    }

    static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

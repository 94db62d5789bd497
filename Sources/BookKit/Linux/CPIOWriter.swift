/// Writes a cpio archive in the "newc" format (`cpio -H newc`), the format
/// of Linux's initramfs and of the one-module Linux bundle that swiftboot
/// accepts (chapter 14). Every header field is eight hexadecimal digits;
/// names and data are padded to multiples of 4 bytes. Times, owners and
/// inode numbers are fixed, so the same files give the same bytes.
public struct CPIOWriter {
    public private(set) var bytes: [UInt8] = []
    private var inode: UInt32 = 1

    public init() {}

    public mutating func directory(_ name: String) {
        member(name, mode: 0o040755, links: 2, contents: [])
    }

    public mutating func file(_ name: String, contents: [UInt8], executable: Bool = false) {
        member(name, mode: executable ? 0o100755 : 0o100644, links: 1, contents: contents)
    }

    public mutating func characterDevice(_ name: String, major: UInt32, minor: UInt32) {
        member(name, mode: 0o020600, links: 1, contents: [], device: (major, minor))
    }

    /// The archive with its `TRAILER!!!` member.
    public func finished() -> [UInt8] {
        var copy = self
        copy.member("TRAILER!!!", mode: 0, links: 1, contents: [], countsAsInode: false)
        return copy.bytes
    }

    private mutating func member(
        _ name: String, mode: UInt32, links: UInt32, contents: [UInt8], device: (UInt32, UInt32) = (0, 0), countsAsInode: Bool = true
    ) {
        let nameBytes = Array(name.utf8) + [0]
        let fields: [UInt32] = [
            countsAsInode ? inode : 0, mode, 0, 0, links, 0, UInt32(contents.count),
            0, 0, device.0, device.1, UInt32(nameBytes.count), 0,
        ]
        if countsAsInode { inode += 1 }
        bytes += Array("070701".utf8)
        for field in fields { bytes += Array(hex8(field).utf8) }
        bytes += nameBytes
        pad()
        bytes += contents
        pad()
    }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    private func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

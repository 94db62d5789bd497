import SwiftBootCore

/// Physical memory for tests: a zeroed byte range at `base` that crafted
/// structures are written into.
final class FakeMemory: PhysicalMemory {
    let base: UInt64
    let storage: UnsafeMutableRawBufferPointer

    init(base: UInt64 = 0x10_0000, size: Int = 0x10000) {
        self.base = base
        storage = .allocate(byteCount: size, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { storage.deallocate() }

    func bytes(at address: UInt64, count: Int) -> UnsafeRawBufferPointer? {
        guard address >= base, count >= 0, address - base <= UInt64(storage.count),
              UInt64(count) <= UInt64(storage.count) - (address - base) else { return nil }
        return UnsafeRawBufferPointer(rebasing: storage[Int(address - base)..<Int(address - base) + count])
    }

    func write<T: FixedWidthInteger>(_ value: T, at address: UInt64) {
        storage.storeBytes(of: value.littleEndian, toByteOffset: Int(address - base), as: T.self)
    }

    func write(_ bytes: [UInt8], at address: UInt64) {
        for (index, byte) in bytes.enumerated() { storage[Int(address - base) + index] = byte }
    }

    /// A NUL-terminated copy of `text`.
    func write(string text: String, at address: UInt64) {
        write(Array(text.utf8) + [0], at: address)
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}

// A libFuzzer target over what swiftboot does with boot information: the
// Multiboot1, Multiboot2 and PVH parsers, the memory map, the physical
// allocator, the ELF64 loader and the hand-off structure, run on the host
// against a 4 GiB stand-in for physical memory. The checks live in
// Tests/SwiftBootCoreTests/BootInputChecks.swift, so the unit tests replay
// every input kept in Fuzz/boot-regressions. Fuzz/run-boot builds this
// file together with the SwiftBootCore sources as one module.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let violation = BootInputChecks.run(Array(UnsafeBufferPointer(start: data, count: size))) {
        fatalError("boot input check failed: \(violation)")
    }
    return 0
}

import BookKit
import Foundation
import Testing

/// Chapter 9: the heap. Bare-metal code cannot run on the host, so the
/// checks boot it.
@Suite struct HeapTests {
    @Test func anAllocationLargerThanTheHeapStopsWithAMessage() throws {
        let (result, serial) = try bootWithSerialLog(editing: injectingAfterRuntimeStart(
            "let big = [UInt8](repeating: 1, count: 1 << 20); Console.writeDecimal(UInt(big.count))"
        ))
        #expect(result.qemuStatus == 61, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: out of memory: "), "\(result.output)")
        #expect(result.output.contains(" heap bytes free\n"), "\(result.output)")
        #expect(!result.output.contains("1048576"), "the array must not have been created")
        #expect(result.output.hasSuffix(serial))
    }

    @Test func smallAllocationsFitAndAreAligned() throws {
        // Allocate through the C interface with a few alignments and check
        // the results, and that the heap's last byte is mapped and
        // writable; print "ok" only if all of it holds.
        let (result, _) = try bootWithSerialLog(editing: injectingAfterRuntimeStart("""
            do { var last: UInt = 0; var ok = true; for alignment in [8, 16, 64, 4096] { var p: UnsafeMutableRawPointer? = nil; ok = ok && posixMemalign(&p, alignment, 3) == 0; let a = UInt(bitPattern: p!); ok = ok && a % UInt(alignment) == 0 && a > last; last = a }; var q: UnsafeMutableRawPointer? = nil; ok = ok && posixMemalign(&q, 24, 8) == 22; let lastByte = UnsafeMutablePointer<UInt8>(bitPattern: Heap.start + Heap.size - 1)!; lastByte.pointee = 0x5A; ok = ok && lastByte.pointee == 0x5A; Console.write(ok ? "heap test: ok\\n" : "heap test: FAILED\\n") }
            """))
        #expect(result.succeeded, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("heap test: ok\n"), "\(result.output)")
    }
}

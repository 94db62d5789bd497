#if canImport(SwiftBootCore)
import SwiftBootCore
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What swiftboot does with the boot information a loader hands it, run
/// on the host against hostile input: the fuzz target (Fuzz/run-boot)
/// and the tests that replay Fuzz/boot-regressions both call `run`.
///
/// An input is one byte that picks the protocol (Multiboot1, Multiboot2,
/// PVH) and then the bytes that lie at physical 0x1000, where the
/// information structure starts; modules, maps and strings it points to
/// are read from the same memory. swiftboot itself occupies
/// `loaderStart..<loaderEnd`. The checks, on every input: nothing traps;
/// when the loader accepts, every range it hands out is usable memory by
/// the firmware's map (covered by a usable entry, touched by no other),
/// at or above 1 MiB and below 4 GiB, clear of swiftboot and of every
/// module, and no byte is handed out twice; the hand-off structure fits
/// the room allocated for it and reads back as what was written.
enum BootInputChecks {
    static let infoAddress: UInt64 = 0x1000
    static let loaderStart: UInt64 = 0x20_0000
    static let loaderEnd: UInt64 = 0x28_0000
    /// The kernel's segments may add up to this much; more would only
    /// spend the fuzzer's time on zeroing memory.
    static let largestKernel: UInt64 = 64 << 20

    /// The violated rule, or nil when the input was handled correctly
    /// (refused with an error, or loaded within the rules).
    static func run(_ input: [UInt8]) -> String? {
        guard let selector = input.first else { return nil }
        let machine = Machine.shared
        machine.clear()
        let image = input.dropFirst()
        guard let target = machine.mutableBytes(at: infoAddress, count: image.count) else { return nil }
        for (index, byte) in image.enumerated() { target[index] = byte }
        let magic = [BootMagic.multiboot1, BootMagic.multiboot2, BootMagic.pvh][Int(selector % 3)]

        let boot: BootInfo
        do { boot = try BootInfo.read(magic: magic, address: infoAddress, from: machine) } catch { return nil }
        if let kernel = boot.modules.first, kernel.end <= KernelLoader.identityMapSize, kernel.end >= kernel.start,
           let file = machine.bytes(at: kernel.start, count: Int(kernel.end - kernel.start)),
           let parsed = try? KernelImage.parse(file) {
            var total: UInt64 = 0
            for segment in parsed.segments {
                let (size, overflow) = (segment.memorySize).addingReportingOverflow(0x2000)
                if overflow { return nil }
                total += size
                if total > largestKernel { return nil }
            }
        }
        let loaded: LoadedKernel
        do {
            loaded = try KernelLoader.load(
                boot: boot, loaderStart: loaderStart, loaderEnd: loaderEnd, loadOffset: 0, trampoline: loaderStart, memory: machine)
        } catch {
            return nil
        }
        return check(loaded, boot: boot, memory: machine)
    }

    /// The rules for a loaded kernel, checked against the firmware's map
    /// as it came, not against swiftboot's reading of it.
    static func check(_ loaded: LoadedKernel, boot: BootInfo, memory: Machine) -> String? {
        var handedOut: [(name: String, start: UInt64, end: UInt64)] = []
        for (index, placement) in loaded.placements.enumerated() {
            handedOut.append(("segment \(index)", placement.physical, placement.physical + placement.pages * 4096))
        }
        handedOut.append(("page tables", loaded.pageTableRoot, loaded.pageTableRoot + loaded.pageTablePoolSize))
        for (index, placement) in loaded.placements.enumerated() {
            let alignment = max(placement.segment.alignment, 4096)
            if placement.physical % alignment != (placement.segment.virtualAddress & ~4095) % alignment {
                return "segment \(index) at 0x\(String(placement.physical, radix: 16)) ignores its p_align 0x\(String(alignment, radix: 16))"
            }
        }
        let stackTop = loaded.stackPointer + 8
        handedOut.append(("stack", stackTop - KernelLoader.stackSize, stackTop))
        handedOut.append(("hand-off structure", loaded.handoffAddress, loaded.handoffAddress + loaded.handoffSize))
        let written = UInt64(loaded.handoff.encode(at: loaded.handoffAddress).count)
        if written > loaded.handoffSize {
            return "the hand-off structure has \(written) bytes but room for \(loaded.handoffSize)"
        }
        for (index, range) in handedOut.enumerated() {
            if range.start < PhysicalAllocator.lowestAddress || range.end > KernelLoader.identityMapSize || range.end <= range.start {
                return "\(range.name) at \(hex(range.start))-\(hex(range.end)) lies outside 1 MiB-4 GiB"
            }
            if range.start < loaderEnd, loaderStart < range.end { return "\(range.name) overlaps swiftboot" }
            for module in boot.modules where range.start < module.end && module.start < range.end {
                return "\(range.name) at \(hex(range.start)) overlaps a module at \(hex(module.start))-\(hex(module.end))"
            }
            for region in boot.memoryMap where region.kind != .usable && region.length > 0 {
                let end = region.base.addingReportingOverflow(region.length).overflow ? UInt64.max : region.base + region.length
                if range.start < end, region.base < range.end {
                    return "\(range.name) at \(hex(range.start))-\(hex(range.end)) overlaps \(region.kindName) memory at \(hex(region.base))-\(hex(end))"
                }
            }
            if !coveredByUsableMemory(range.start, range.end, boot.memoryMap) {
                return "\(range.name) at \(hex(range.start))-\(hex(range.end)) is not all usable memory"
            }
            for other in handedOut[..<index] where range.start < other.end && other.start < range.end {
                return "\(range.name) and \(other.name) share memory at \(hex(max(range.start, other.start)))"
            }
        }
        guard let decoded = Handoff.decode(at: loaded.handoffAddress, from: memory) else {
            return "the hand-off structure does not read back"
        }
        if decoded.boot.modules != loaded.handoff.boot.modules || decoded.boot.memoryMap != loaded.handoff.boot.memoryMap {
            return "the hand-off structure reads back differently"
        }
        return nil
    }

    /// Whether the usable entries of `map` together cover start..<end.
    static func coveredByUsableMemory(_ start: UInt64, _ end: UInt64, _ map: [MemoryRegion]) -> Bool {
        var cursor = start
        var progress = true
        while cursor < end, progress {
            progress = false
            for region in map where region.kind == .usable && region.base <= cursor {
                let (regionEnd, overflow) = region.base.addingReportingOverflow(region.length)
                let last = overflow ? UInt64.max : regionEnd
                if last > cursor {
                    cursor = last
                    progress = true
                }
            }
        }
        return cursor >= end
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

/// Physical memory from 0 to 4 GiB, as swiftboot's identity map sees it:
/// reserved once without backing (pages appear when first touched) and
/// returned to zero after each input.
final class Machine: WritableMemory {
    nonisolated(unsafe) static let shared = Machine()
    static let size: UInt64 = 0x1_0000_0000
    let base: UnsafeMutableRawPointer

    init() {
        base = mmap(nil, Int(Self.size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    }

    func clear() { madvise(base, Int(Self.size), MADV_DONTNEED) }

    func bytes(at address: UInt64, count: Int) -> UnsafeRawBufferPointer? {
        mutableBytes(at: address, count: count).map { UnsafeRawBufferPointer($0) }
    }

    func mutableBytes(at address: UInt64, count: Int) -> UnsafeMutableRawBufferPointer? {
        guard count >= 0, address < Self.size, UInt64(count) <= Self.size - address else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + Int(address), count: count)
    }
}

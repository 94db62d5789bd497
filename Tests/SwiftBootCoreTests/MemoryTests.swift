import SwiftBootCore
import Testing

@Suite struct PhysicalAllocatorTests {
    let map = [
        MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable),
        MemoryRegion(base: 0xF_0000, length: 0x1_0000, kind: .reserved),
        MemoryRegion(base: 0x10_0000, length: 0x3F0_0000, kind: .usable),  // up to 64 MiB
    ]

    @Test func skipsLowMemoryAndReservedRanges() {
        var allocator = PhysicalAllocator(memoryMap: map, reserved: [PhysicalRange(0x20_0000, 0x40_0000), PhysicalRange(0x50_0000, 0x50_1000)])
        #expect(allocator.free.map(\.base) == [0x10_0000, 0x40_0000, 0x50_1000])
        #expect(allocator.allocate(size: 0x20_0000, alignment: 0x1000) == 0x50_1000)
        #expect(allocator.allocate(size: 0x1000, alignment: 0x1000) == 0x10_0000)
        #expect(allocator.allocate(size: 0x10, alignment: 0x20_0000) == 0x40_0000)
    }

    @Test func saysNoWhenNothingFits() {
        var allocator = PhysicalAllocator(memoryMap: map, reserved: [])
        #expect(allocator.allocate(size: 0x400_0000, alignment: 0x1000) == nil)
        var empty = PhysicalAllocator(memoryMap: [MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable)], reserved: [])
        #expect(empty.allocate(size: 0x1000, alignment: 0x1000) == nil)
    }

    @Test func carvingMarksUsedRangesInTheMap() {
        let carved = MemoryRegion.carve(map, [PhysicalRange(0x20_0000, 0x30_0000)], as: .kernel)
        #expect(carved == [
            MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable),
            MemoryRegion(base: 0xF_0000, length: 0x1_0000, kind: .reserved),
            MemoryRegion(base: 0x10_0000, length: 0x10_0000, kind: .usable),
            MemoryRegion(base: 0x20_0000, length: 0x10_0000, kind: .kernel),
            MemoryRegion(base: 0x30_0000, length: 0x3D0_0000, kind: .usable),
        ])
    }
}

@Suite struct PageMapperTests {
    @Test func indicesTakeNineBitsPerLevel() {
        let address: UInt64 = 0xFFFF_FFFF_8020_3000
        #expect(PageMapper<FakeTables>.index(of: address, level: 4) == 511)
        #expect(PageMapper<FakeTables>.index(of: address, level: 3) == 510)
        #expect(PageMapper<FakeTables>.index(of: address, level: 2) == 1)
        #expect(PageMapper<FakeTables>.index(of: address, level: 1) == 3)
    }

    @Test func mapsAndTranslatesSmallAndLargePages() throws {
        var mapper = try PageMapper(memory: FakeTables())
        try mapper.map(virtual: 0xFFFF_FFFF_C000_0000, physical: 0x80_0000, size: 0x2000, flags: [])
        try mapper.map(virtual: 0xFFFF_FFFF_C000_2000, physical: 0x90_0000, size: 0x1000, flags: [.writable, .noExecute])
        try mapper.map(virtual: 0, physical: 0, size: 0x40_0000, pageSize: 0x20_0000, flags: [.writable])
        #expect(mapper.translate(0xFFFF_FFFF_C000_1234)?.physical == 0x80_1234)
        #expect(mapper.translate(0xFFFF_FFFF_C000_1234)?.flags == [.present])
        #expect(mapper.translate(0xFFFF_FFFF_C000_2008)?.flags == [.present, .writable, .noExecute])
        #expect(mapper.translate(0x30_0042)?.physical == 0x30_0042)
        #expect(mapper.translate(0x30_0042)?.flags == [.present, .writable, .huge])
        #expect(mapper.translate(0xFFFF_FFFF_C000_3000) == nil)
        #expect(mapper.memory.tables.count == 1 + 3 + 2)  // PML4, PDPT+PD+PT high, PDPT+PD low
    }

    @Test func refusesToMapTwiceOrMisaligned() throws {
        var mapper = try PageMapper(memory: FakeTables())
        try mapper.map(virtual: 0, physical: 0, size: 0x20_0000, pageSize: 0x20_0000, flags: [])
        #expect(throws: PagingError.alreadyMapped(virtual: 0x1000)) {
            try mapper.map(virtual: 0x1000, physical: 0x1000, size: 0x1000, flags: [])
        }
        #expect(throws: PagingError.misaligned(virtual: 0x40_1000)) {
            try mapper.map(virtual: 0x40_1000, physical: 0, size: 0x20_0000, pageSize: 0x20_0000, flags: [])
        }
    }

    @Test func reportsRunningOutOfTables() throws {
        var tables = FakeTables()
        tables.limit = 2
        var mapper = try PageMapper(memory: tables)
        #expect(throws: PagingError.outOfMemory) {
            try mapper.map(virtual: 0x1_0000_0000, physical: 0, size: 0x1000, flags: [])
        }
    }
}

/// Firmware maps as they come: unsorted, overlapping, duplicated, with
/// empty and wrapping entries.
@Suite struct MemoryMapNormalisingTests {
    @Test func overlapsResolveToTheHigherType() {
        let map = [
            MemoryRegion(base: 0x10_0000, length: 0x3F0_0000, kind: .usable),
            MemoryRegion(base: 0x10_0000, length: 0x10_0000, kind: .reserved),
            MemoryRegion(base: 0x30_0000, length: 0x1000, kind: .acpiReclaimable),
        ]
        #expect(MemoryRegion.normalised(map) == [
            MemoryRegion(base: 0x10_0000, length: 0x10_0000, kind: .reserved),
            MemoryRegion(base: 0x20_0000, length: 0x10_0000, kind: .usable),
            MemoryRegion(base: 0x30_0000, length: 0x1000, kind: .acpiReclaimable),
            MemoryRegion(base: 0x30_1000, length: 0x3CF_F000, kind: .usable),
        ])
    }

    @Test func duplicatesEmptyAndWrappingEntries() {
        let usable = MemoryRegion(base: 0x10_0000, length: 0x100_0000, kind: .usable)
        let map = [
            usable, MemoryRegion(base: 0x50_0000, length: 0, kind: .reserved), usable,
            MemoryRegion(base: 0xFFFF_FFFF_FFFF_F000, length: 0x2000, kind: .reserved),
        ]
        #expect(MemoryRegion.normalised(map) == [
            usable, MemoryRegion(base: 0xFFFF_FFFF_FFFF_F000, length: 0xFFF, kind: .reserved),
        ])
    }

    @Test func separateEntriesStaySeparateAndOrderDoesNotMatter() {
        let map = [
            MemoryRegion(base: 0x20_0000, length: 0x10_0000, kind: .reserved),
            MemoryRegion(base: 0x10_0000, length: 0x10_0000, kind: .reserved),
            MemoryRegion(base: 0, length: 0x9_FC00, kind: .usable),
        ]
        #expect(MemoryRegion.normalised(map) == [map[2], map[1], map[0]])
    }

    /// The bug the normaliser fixes: two copies of one usable entry made
    /// the allocator hand out 1 MiB twice; a reserved range inside a
    /// usable one was handed out.
    @Test func theAllocatorHandsOutNothingTwiceOrReserved() {
        let usable = MemoryRegion(base: 0x10_0000, length: 0x10_0000, kind: .usable)
        var twice = PhysicalAllocator(memoryMap: [usable, usable], reserved: [])
        #expect(twice.allocate(size: 0x10_0000, alignment: 0x1000) == 0x10_0000)
        #expect(twice.allocate(size: 0x1000, alignment: 0x1000) == nil)
        // Usable memory at the very top of the address space has no
        // aligned start: rounding up must not wrap (it trapped).
        var top = PhysicalAllocator(memoryMap: [MemoryRegion(base: 0xFFFF_FFFF_FFFF_F001, length: 0xFFE, kind: .usable)], reserved: [])
        #expect(top.allocate(size: 0x10, alignment: 0x1000, below: .max) == nil)
        var hole = PhysicalAllocator(memoryMap: [usable, MemoryRegion(base: 0x10_0000, length: 0x8_0000, kind: .reserved)], reserved: [])
        #expect(hole.allocate(size: 0x1000, alignment: 0x1000) == 0x18_0000)
    }
}

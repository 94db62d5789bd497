import BookKit
import Foundation
import Testing

/// The example kernel of chapter 11 is an ELF64 executable that swiftboot's
/// loader accepts. Until the hand-off chapter no code state runs it, so
/// this test reads the built `build/kernel.elf` itself: the program headers
/// (System V gABI, "Program Header") must describe page-aligned segments in
/// the top 2 GiB, none writable and executable at once, none overlapping,
/// with the entry point in the executable one.
@Suite struct ExampleKernelTests {
    struct Segment {
        var offset: UInt64
        var virtualAddress: UInt64
        var fileSize: UInt64
        var memorySize: UInt64
        var flags: UInt32

        var isExecutable: Bool { flags & 1 != 0 }
        var isWritable: Bool { flags & 2 != 0 }
        var isReadable: Bool { flags & 4 != 0 }
        var permissions: String {
            (isReadable ? "r" : "-") + (isWritable ? "w" : "-") + (isExecutable ? "x" : "-")
        }
    }

    static let page: UInt64 = 4096
    /// The kernel code model's range: the top 2 GiB.
    static let topTwoGiB: UInt64 = 0xFFFF_FFFF_8000_0000

    /// The ELF header's entry point and the PT_LOAD program headers.
    static func loadSegments(of file: Data) throws -> (entry: UInt64, segments: [Segment]) {
        let bytes = [UInt8](file)
        func value<T: FixedWidthInteger>(_: T.Type, at offset: Int) throws -> T {
            let size = MemoryLayout<T>.size
            try #require(offset >= 0 && offset + size <= bytes.count, "read past the end of the file at \(offset)")
            return bytes[offset..<offset + size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        try #require(bytes.count >= 64, "shorter than an ELF64 header")
        #expect(bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46], "no ELF magic")
        #expect(bytes[4] == 2, "not ELFCLASS64")
        #expect(bytes[5] == 1, "not little endian")
        #expect(try value(UInt16.self, at: 16) == 2, "not ET_EXEC")
        #expect(try value(UInt16.self, at: 18) == 62, "not EM_X86_64")
        let entry = try value(UInt64.self, at: 24)
        let headers = Int(try value(UInt64.self, at: 32))
        let headerSize = Int(try value(UInt16.self, at: 54))
        let count = Int(try value(UInt16.self, at: 56))
        var segments: [Segment] = []
        for index in 0..<count {
            let header = headers + index * headerSize
            guard try value(UInt32.self, at: header) == 1 else { continue }  // PT_LOAD
            segments.append(Segment(
                offset: try value(UInt64.self, at: header + 8), virtualAddress: try value(UInt64.self, at: header + 16),
                fileSize: try value(UInt64.self, at: header + 32), memorySize: try value(UInt64.self, at: header + 40),
                flags: try value(UInt32.self, at: header + 4)
            ))
        }
        return (entry, segments)
    }

    @Test func theKernelIsAnELF64ThatSwiftbootCanLoad() throws {
        let book = try copyOfTheBook()
        let state = CodeState(book: book)
        try state.build()
        let kernel = try #require(state.recipe.kernel, "no chapter writes asm/kernel/link.ld")
        let file = try Data(contentsOf: kernel)
        let (entry, segments) = try Self.loadSegments(of: file)

        #expect(segments.map(\.permissions) == ["r-x", "r--", "rw-"], "code, constants, variables")
        for segment in segments {
            let name = "segment at 0x\(String(segment.virtualAddress, radix: 16))"
            #expect(segment.virtualAddress % Self.page == 0, "\(name): not page aligned")
            #expect(segment.offset % Self.page == 0, "\(name): file offset not page aligned")
            #expect(segment.virtualAddress >= 0x1_0000_0000, "\(name): below 4 GiB, where the identity map is")
            #expect(segment.virtualAddress >= Self.topTwoGiB, "\(name): outside the kernel code model's top 2 GiB")
            #expect(segment.memorySize <= 0 &- segment.virtualAddress, "\(name): runs past the end of the address space")
            #expect(segment.fileSize <= segment.memorySize, "\(name): more bytes in the file than in memory")
            #expect(segment.offset + segment.fileSize <= UInt64(file.count), "\(name): truncated")
            #expect(!(segment.isWritable && segment.isExecutable), "\(name): writable and executable")
        }
        for (index, segment) in segments.enumerated() {
            for other in segments[..<index] {
                let end = (segment.virtualAddress &+ segment.memorySize &+ Self.page &- 1) / Self.page * Self.page
                let otherEnd = (other.virtualAddress &+ other.memorySize &+ Self.page &- 1) / Self.page * Self.page
                #expect(segment.virtualAddress >= otherEnd || other.virtualAddress >= end,
                        "segments at 0x\(String(other.virtualAddress, radix: 16)) and 0x\(String(segment.virtualAddress, radix: 16)) share a page")
            }
        }
        #expect(segments.contains { $0.isExecutable && $0.virtualAddress <= entry && entry < $0.virtualAddress + $0.memorySize },
                "entry point 0x\(String(entry, radix: 16)) is not in an executable segment")
    }
}

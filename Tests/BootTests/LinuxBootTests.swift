import BookKit
import Foundation
import Testing

/// Debian's kernel, an initramfs from busybox-static, the PVH bundle and
/// the Linux ISO, made once for the built book.
let builtLinux: Result<LinuxParts, Error> = Result {
    try LinuxParts.make(for: try builtBook.get().recipe)
}

/// Chapter 14: swiftboot starts a kernel nobody here wrote — Debian's —
/// through Linux's 64-bit boot protocol, by every protocol, with little and
/// much memory, and Linux runs the initramfs's /init.
@Suite struct LinuxBootTests {
    static let name: [QemuBoot.BootProtocol: String] = [.multiboot1: "Multiboot1", .multiboot2: "Multiboot2", .pvh: "PVH"]

    /// A cell of the matrix: protocol and firmware.
    struct Way: Sendable, CustomTestStringConvertible {
        var bootProtocol: QemuBoot.BootProtocol
        var firmware: QemuBoot.Firmware = .bios
        var testDescription: String { "\(bootProtocol.rawValue), \(firmware.rawValue)" }
    }

    @Test(arguments: [Way(bootProtocol: .multiboot1), Way(bootProtocol: .multiboot2), Way(bootProtocol: .multiboot2, firmware: .uefi),
                      Way(bootProtocol: .pvh)], ["128M", "4G"])
    func bootsDebiansLinux(_ way: Way, memory: String) throws {
        let bootProtocol = way.bootProtocol
        let state = try builtBook.get()
        let parts = try builtLinux.get()
        let result = try parts.boot(bootProtocol, firmware: way.firmware, recipe: state.recipe,
                                    machine: way.firmware == .uefi ? "q35" : "pc", memory: memory, timeout: 300).run()
        // Linux's serial console ends its lines with CR LF.
        let output = result.output.replacingOccurrences(of: "\r\n", with: "\n")
        let context = "\(way.testDescription), \(memory):\n\(output)"
        #expect(LinuxParts.succeeded(result), "\(context)")
        #expect(result.qemuStatus == 0, "an ACPI power-off ends QEMU with 0: \(context)")
        // swiftboot found Linux among the modules, by this protocol.
        #expect(output.contains("swiftboot: started by \(Self.name[bootProtocol]!), load offset 0x"), "\(context)")
        #expect(output.contains(bootProtocol == .pvh ? "swiftboot: Linux kernel and initrd from a cpio archive\n"
                                                     : "swiftboot: module 0 is a Linux kernel\n"), "\(context)")
        #expect(output.contains("swiftboot: Linux boot protocol 2.15, kernel at 0x"), "\(context)")
        #expect(output.contains("swiftboot: handing off to Linux\n"), "\(context)")
        // Linux's own words, in the order it says them.
        let lines = [
            "Linux version 6.", "Command line: \(parts.commandLine)\n", "BIOS-provided physical RAM map:",
            "Kernel command line: \(parts.commandLine)\n", "Freeing unused kernel image", "Run /init as init process",
            "init: hello from the initramfs, started by Linux, started by swiftboot\n",
            "init: command line: \(parts.commandLine)\n", "init: MemTotal:", LinuxParts.powerOff,
        ]
        var rest = Substring(output)
        for line in lines {
            guard let found = rest.range(of: line) else {
                Issue.record("Linux never printed \"\(line)\" (after the lines before it): \(context)")
                break
            }
            rest = rest[found.upperBound...]
        }
        // The memory map Linux printed is the one swiftboot was given, with
        // the RSDP's page reserved.
        #expect(Self.linuxMap(in: output) == Self.expectedMap(in: output), "\(context)")
        // Under UEFI only swiftboot's copy tells Linux where ACPI is (no
        // BIOS area to scan): Linux uses it.
        if way.firmware == .uefi {
            let copy = try #require(output.range(of: "ACPI RSDP copied to 0x"), "\(context)")
            let address = String(output[copy.upperBound...].prefix(16)).uppercased()
            #expect(output.contains("ACPI: RSDP 0x\(address) "), "\(context)")
        }
        // The init sees (nearly) all of the memory.
        let total = try #require(Self.memTotal(in: output), "\(context)")
        let size = memory == "4G" ? 4 << 30 : 128 << 20
        #expect(total > size / 2 && total < size, "MemTotal \(total) for \(memory)")
    }

    /// Bochs, a PC written independently of QEMU, boots the Linux ISO
    /// through SeaBIOS's counterpart, GRUB and swiftboot to the init.
    @Test func bootsDebiansLinuxInBochs() throws {
        let parts = try builtLinux.get()
        let result = try parts.bochsBoot(memory: "128M", timeout: 900).run()
        let serial = result.serial.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(result.succeeded, "\(result.summary)\n\(result.output)\n\(serial)")
        #expect(result.output.contains("swiftboot: started by Multiboot2, load offset 0x"), "\(result.output)")
        #expect(result.output.contains("swiftboot: handing off to Linux\n"), "\(result.output)")
        for line in ["Linux version 6.", "Command line: \(parts.commandLine)\n",
                     "init: hello from the initramfs, started by Linux, started by swiftboot\n",
                     "init: command line: \(parts.commandLine)\n", LinuxParts.powerOff] {
            #expect(serial.contains(line), "Linux in Bochs never printed \"\(line)\": \(serial)")
        }
        #expect(Self.linuxMap(in: serial) == Self.expectedMap(in: serial), "\(serial)")
    }

    /// An E820 entry as Linux prints it: first and last byte, type name.
    struct Entry: Equatable, CustomStringConvertible {
        var first: UInt64
        var last: UInt64
        var type: String
        var description: String { "\(String(first, radix: 16))-\(String(last, radix: 16)) \(type)" }
    }

    /// `BIOS-e820: [mem 0x...-0x...] usable` lines.
    static func linuxMap(in output: String) -> [Entry] {
        output.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "BIOS-e820: [mem 0x") else { return nil }
            let text = line[start.upperBound...]
            let parts = text.split(separator: "]", maxSplits: 1)
            let range = parts[0].split(separator: "-")
            guard parts.count == 2, range.count == 2, let first = UInt64(range[0], radix: 16),
                  let last = UInt64(range[1].dropFirst(2), radix: 16) else { return nil }
            return Entry(first: first, last: last, type: parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    /// swiftboot's memory map lines, in Linux's names, with the page of the
    /// RSDP copy cut out as reserved, adjacent entries of one type merged
    /// (Linux sanitises its table that way).
    static func expectedMap(in output: String) -> [Entry] {
        let names = ["usable": "usable", "reserved": "reserved", "ACPI reclaimable": "ACPI data", "ACPI NVS": "ACPI NVS", "defective": "unusable"]
        var entries: [Entry] = []
        var inMap = false
        for line in output.split(separator: "\n") {
            if line.hasPrefix("swiftboot: memory map, ") { inMap = true; continue }
            guard inMap else { continue }
            guard line.hasPrefix("swiftboot:   0x") else { break }
            let fields = line.dropFirst("swiftboot:   ".count).split(separator: " ", maxSplits: 1)
            let range = fields[0].split(separator: "-")
            guard let base = UInt64(range[0].dropFirst(2), radix: 16), let end = UInt64(range[1].dropFirst(2), radix: 16),
                  end > base, let type = names[String(fields[1])] else { continue }
            entries.append(Entry(first: base, last: end - 1, type: type))
        }
        if let marker = output.range(of: "ACPI RSDP copied to 0x") {
            let page = UInt64(output[marker.upperBound...].prefix(16), radix: 16)!
            entries = entries.flatMap { entry -> [Entry] in
                guard entry.type == "usable", entry.first <= page, page + 4095 <= entry.last else { return [entry] }
                return [Entry(first: entry.first, last: page - 1, type: "usable"), Entry(first: page, last: page + 4095, type: "reserved"),
                        Entry(first: page + 4096, last: entry.last, type: "usable")].filter { $0.last >= $0.first }
            }
        }
        var merged: [Entry] = []
        for entry in entries {
            if let last = merged.last, last.type == entry.type, last.last + 1 == entry.first {
                merged[merged.count - 1].last = entry.last
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    /// The init's "MemTotal: N kB", in bytes.
    static func memTotal(in output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("init: MemTotal:") }) else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
}

/// The facts chapter 14 states about Debian's kernel, read from its header.
@Suite struct DebianKernelTests {
    @Test func theHeaderIsWhatTheChapterDescribes() throws {
        let file = [UInt8](try Data(contentsOf: try builtLinux.get().kernel))
        func load(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(file[offset + $1]) << (8 * $1) }
        }
        #expect(load(0x1FE, 2) == 0xAA55 && Array(file[0x202..<0x206]) == Array("HdrS".utf8))
        #expect(load(0x206, 2) == 0x020F, "boot protocol 2.15")
        #expect(load(0x211, 1) & 1 == 1, "LOADED_HIGH: a bzImage")
        #expect(load(0x236, 2) & 1 == 1, "XLF_KERNEL_64")
        #expect(load(0x258, 8) == 0x100_0000, "pref_address 16 MiB")
        #expect(load(0x230, 4) == 0x20_0000 && load(0x234, 1) == 1, "relocatable, 2 MiB aligned")
        #expect(load(0x22C, 4) == 0x7FFF_FFFF, "initrd_addr_max 2 GiB - 1")
        let initSize = load(0x260, 4)
        #expect(initSize > 0x300_0000 && initSize < 0x400_0000, "init_size \(String(initSize, radix: 16)): almost 64 MiB")
        // Signed for Secure Boot: the file is longer than its header says.
        let described = (Int(load(0x1F1, 1)) + 1) * 512 + Int(load(0x1F4, 4)) * 16
        #expect(file.count > described, "\(file.count) bytes, \(described) described")
    }
}

/// Every bad Linux input of chapter 14 — Debian's kernel with one header
/// field changed — makes swiftboot print what is wrong and end QEMU with a
/// value of its own.
@Suite struct BadLinuxTests {
    /// The kernel's bytes with `change` applied, as a file.
    func kernel(_ change: (inout [UInt8]) -> Void) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: try builtLinux.get().kernel))
        change(&bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vmlinuz-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<MemoryLayout<T>.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// Boots the changed kernel with the initrd through Multiboot1.
    @discardableResult
    func expectFailure(status: Int32, message: String, memory: String = "128M", _ change: (inout [UInt8]) -> Void) throws -> String {
        let state = try builtBook.get()
        let parts = try builtLinux.get()
        var boot = state.boot(timeout: 60)
        boot.memory = memory
        boot.modules = [.init(path: try kernel(change), arguments: parts.commandLine), .init(path: parts.initrd)]
        let result = try boot.run()
        #expect(result.qemuStatus == status, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("swiftboot: error: \(message)"), "\(result.output)")
        #expect(!result.output.contains("handing off"), "\(result.output)")
        return result.output
    }

    @Test func noSetupHeader() throws {
        try expectFailure(status: 65, message: "not a bzImage: a boot sector without the \"HdrS\" setup header (Linux before boot protocol 2.00)\n") {
            put(UInt32(0), at: 0x202, in: &$0)
        }
    }

    @Test func aZImage() throws {
        try expectFailure(status: 65, message: "not a bzImage: LOADED_HIGH is clear, a zImage that runs below 1 MiB\n") { $0[0x211] &= ~1 }
    }

    @Test func aTruncatedKernel() throws {
        try expectFailure(status: 65, message: "not a bzImage: the file has 1048576 bytes, its header describes ") {
            $0.removeSubrange(0x10_0000...)
        }
    }

    @Test func protocolTooOld() throws {
        try expectFailure(status: 67, message: "Linux boot protocol 2.11 is too old: the 64-bit entry needs 2.12\n") {
            put(UInt16(0x020B), at: 0x206, in: &$0)
        }
    }

    @Test func no64BitEntry() throws {
        try expectFailure(status: 69, message: "the Linux kernel has no 64-bit entry point (XLF_KERNEL_64 is clear)\n") { $0[0x236] &= ~1 }
    }

    /// 120 MiB from the load address on do not fit into 128 MiB next to the
    /// modules.
    @Test func noRoomForTheKernel() throws {
        try expectFailure(status: 71, message: "no room in the memory map for the kernel (init_size): 125829120 bytes\n") {
            put(UInt32(0x780_0000), at: 0x260, in: &$0)
        }
    }

    @Test func commandLineTooLong() throws {
        let parts = try builtLinux.get()
        try expectFailure(status: 73, message: "the Linux command line has \(parts.commandLine.utf8.count) bytes, the kernel takes at most 8 (cmdline_size)\n") {
            put(UInt32(8), at: 0x238, in: &$0)
        }
    }

    /// Below 1 MiB swiftboot hands out nothing, so an initrd_addr_max there
    /// leaves no room for the initrd.
    @Test func initrdAboveTheAllowedAddress() throws {
        let output = try expectFailure(status: 75, message: "the initrd ends at 0x") { put(UInt32(0xF_FFFF), at: 0x22C, in: &$0) }
        #expect(output.contains(", above initrd_addr_max 0x00000000000fffff, and there is no room below it\n"), "\(output)")
    }
}

import BookKit
import Foundation
import Testing

/// A QEMU machine type with a memory size.
struct Machine: Sendable, CustomTestStringConvertible {
    var type: String
    var memory: String
    var testDescription: String { "\(type), \(memory)" }
}

/// The three ways in (chapter 7): one build of the whole book boots through
/// Multiboot1 (QEMU's loader, ELF32), Multiboot2 (GRUB from the rescue ISO,
/// ELF64, relocated) and PVH (QEMU's loader, ELF64), on both PC machine
/// types, with little and much memory. (UEFI, the other firmware, is in
/// UEFITests.)
@Suite struct ProtocolTests {
    /// What the Swift code receives as the magic, per protocol.
    /// How swiftboot's Swift code names the protocol it found (from the
    /// magic the entry passed on).
    static let name: [QemuBoot.BootProtocol: String] = [
        .multiboot1: "Multiboot1", .multiboot2: "Multiboot2", .pvh: "PVH",
    ]

    @Test(arguments: [
        ("--is-x86-multiboot", "swiftboot.elf32"),
        ("--is-x86-multiboot2", "swiftboot.elf64"),
        ("--is-x86-xen-dom0", "swiftboot.elf64"),
    ])
    func grubFileAcceptsTheImage(_ check: String, _ image: String) throws {
        let state = try builtBook.get()
        let result = try Command(.grubFile, [check, state.recipe.output.appendingPathComponent(image).path]).run(timeout: 30)
        #expect(result.status == 0, "grub-file \(check) \(image) refused it: \(result.output)")
    }

    /// The ELF64 must not look like a Multiboot1 image, or QEMU never gets
    /// to its PVH note; the helper section is gone from both images.
    @Test func onlyTheELF32CarriesTheMultiboot1Header() throws {
        let state = try builtBook.get()
        let result = try Command(.grubFile, ["--is-x86-multiboot", state.recipe.elf64.path]).run(timeout: 30)
        #expect(result.status == 1, "the ELF64 has a valid Multiboot1 header")
        #expect(try !ELFSection.all(in: state.recipe.elf64).contains { $0.name.hasSuffix(BuildRecipe.elf32SectionSuffix) })
    }

    @Test(arguments: [QemuBoot.BootProtocol.multiboot1, .multiboot2, .pvh], [
        Machine(type: "pc", memory: "64M"), Machine(type: "pc", memory: "128M"), Machine(type: "pc", memory: "4G"),
        Machine(type: "q35", memory: "64M"), Machine(type: "q35", memory: "128M"), Machine(type: "q35", memory: "4G"),
    ])
    func bootsIntoSwift(_ bootProtocol: QemuBoot.BootProtocol, on machine: Machine) throws {
        let result = try boot(bootProtocol, machine: machine.type, memory: machine.memory)
        #expect(result.output.contains("swiftboot: started by \(Self.name[bootProtocol]!), load offset 0x"),
                "swiftboot did not recognise \(bootProtocol.rawValue) in:\n\(result.output)")
        // The example kernel ran, was told the same protocol, and found the
        // machine state the hand-off protocol promises.
        #expect(result.output.contains("kernel: hand-off structure at 0x"), "\(result.output)")
        #expect(result.output.contains(", protocol \(Self.name[bootProtocol]!)\n"), "\(result.output)")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(result.output)")
    }

    /// GRUB puts the image as high as it can (the relocatable tag's
    /// preference "high"): near the top of the memory, so a different
    /// address for each memory size, and never the link address.
    @Test(arguments: [128, 256, 1024])
    func multiboot2RelocatesTheImage(memoryMiB: Int) throws {
        let result = try boot(.multiboot2, machine: "pc", memory: "\(memoryMiB)M")
        let reported = try #require(Self.imageAndOffset(in: result.output), "no image line in:\n\(result.output)")
        let linkAddress = 0x20_0000
        let memory = memoryMiB << 20
        #expect(reported.offset != 0)
        #expect(reported.image == linkAddress + reported.offset)
        #expect(reported.image % 0x20_0000 == 0)
        // In the upper half of the memory: the three ranges are disjoint.
        #expect(reported.image >= memory / 2 && reported.image + 0x20_0000 <= memory, "image at \(String(reported.image, radix: 16))")
        // The Swift code sees the same offset, sign-extended to 64 bits, and
        // GRUB's load base address tag (21) agrees with where we found ourselves.
        // The kernel, too, learns the load offset, and boots.
        #expect(result.output.contains("kernel: swiftboot at 0x" + String(format: "%016lx", reported.image) + "-0x"), "\(result.output)")
        #expect(result.output.contains(", load offset 0x" + String(format: "%016lx", reported.offset) + "\n"), "\(result.output)")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(result.output)")
        #expect(result.output.contains("swiftboot: started by Multiboot2, load offset 0x" + String(format: "%016lx", reported.offset)
            + ", the loader says the image is at 0x" + String(format: "%016lx", reported.image) + "\n"), "\(result.output)")
    }

    /// "swiftboot: image at 0x…, load offset 0x…" from the 32-bit code.
    static func imageAndOffset(in output: String) -> (image: Int, offset: Int)? {
        for line in output.split(separator: "\n") where line.hasPrefix("swiftboot: image at 0x") {
            let numbers = line.split(separator: " ").filter { $0.hasPrefix("0x") }.map { $0.dropFirst(2).trimmingCharacters(in: .punctuationCharacters) }
            guard numbers.count == 2, let image = Int(numbers[0], radix: 16), let offset = Int(numbers[1], radix: 16) else { return nil }
            return (image, offset)
        }
        return nil
    }

    /// Boots the built book and checks that swiftboot reported success;
    /// for Multiboot2, a failure shows what GRUB said on the serial port.
    func boot(_ bootProtocol: QemuBoot.BootProtocol, machine: String, memory: String) throws -> QemuBoot.Result {
        let state = try builtBook.get()
        let serialLog = FileManager.default.temporaryDirectory.appendingPathComponent("swiftboot-serial-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: serialLog) }
        let result = try state.boot(using: bootProtocol, machine: machine, memory: memory, serialLog: serialLog, timeout: 60).run()
        let grub = bootProtocol == .multiboot2 ? "\nGRUB on the serial port:\n" + ((try? String(contentsOf: serialLog, encoding: .utf8)) ?? "(nothing)") : ""
        #expect(result.succeeded, "\(bootProtocol.rawValue) on \(machine) with \(memory): \(result.summary)\n\(result.output)\(grub)")
        return result
    }
}

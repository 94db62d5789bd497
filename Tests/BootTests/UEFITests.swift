import BookKit
import Foundation
import Testing

/// UEFI as the firmware (OVMF, GRUB x86_64-efi from the same rescue ISO):
/// the example kernel gets the RSDP, the EFI system table and a graphics
/// framebuffer, and draws its colour bars into it — checked on QEMU's own
/// screen.
@Suite(.serialized) struct UEFITests {
    @Test(arguments: ["128M", "4G"])
    func theExampleKernelBootsUnderUEFI(memory: String) throws {
        let state = try builtBook.get()
        let result = try state.boot(using: .multiboot2, firmware: .uefi, machine: "q35", memory: memory, timeout: 300).run()
        let context = "UEFI, \(memory): \(result.summary)\n\(result.output)"
        #expect(result.succeeded, "\(context)")
        #expect(result.output.contains("swiftboot: started by Multiboot2, load offset 0x"), "\(context)")
        // What only UEFI hands over: the system table and the firmware's
        // memory map, and the RSDP from GRUB's ACPI 2.0 tag.
        #expect(result.output.contains("swiftboot: ACPI RSDP revision 2, OEM \"BOCHS \"\n"), "\(context)")
        #expect(result.output.contains("swiftboot: EFI system table at 0x"), "\(context)")
        #expect(result.output.contains("swiftboot: EFI memory map, "), "\(context)")
        #expect(result.output.contains("kernel: EFI system table at 0x"), "\(context)")
        // The mode the header asked for, set through GOP, and drawn into.
        #expect(result.output.contains(", 800x600, 32 bits per pixel, pitch 3200, type 1\n"), "\(context)")
        #expect(result.output.contains("kernel: drew 8 colour bars into the framebuffer\n"), "\(context)")
        #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(context)")
    }

    /// Under a BIOS GRUB keeps VGA text mode (chapter 7): the kernel is
    /// told of the EGA text screen and draws nothing.
    @Test func aBIOSKeepsTextMode() throws {
        let state = try builtBook.get()
        let result = try state.boot(using: .multiboot2, memory: "128M", timeout: 60).run()
        #expect(result.succeeded, "\(result.summary)\n\(result.output)")
        #expect(result.output.contains("kernel: framebuffer at 0x00000000000b8000, 80x25, 16 bits per pixel, pitch 160, type 2\n"),
                "\(result.output)")
        #expect(!result.output.contains("kernel: drew"), "\(result.output)")
        #expect(result.output.contains("kernel: no EFI system table\n"), "\(result.output)")
    }

    /// The picture: a kernel told to `hold` stops after its report; QEMU's
    /// monitor then saves the screen, whose pixels must be the eight bars,
    /// and the PNG is the one chapter 11 shows.
    @Test func theColourBarsAreOnTheScreen() throws {
        let state = try builtBook.get()
        let iso = try Self.isoWithHoldingKernel(state.recipe)
        var boot = try state.boot(using: .multiboot2, firmware: .uefi, machine: "q35", memory: "128M", timeout: 600)
        boot.image = iso
        let screenshots = state.recipe.output.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        // One boot, two files: PPM to read the pixels, PNG to compare with
        // the picture chapter 11 shows. (The timeout is long because, with
        // the whole suite running, OVMF and GRUB can take minutes under TCG;
        // a boot that holds ends as soon as the screen is saved.)
        let ppm = screenshots.appendingPathComponent("uefi-colour-bars.ppm")
        let png = screenshots.appendingPathComponent("uefi-colour-bars.png")
        for file in [ppm, png] { try? FileManager.default.removeItem(at: file) }
        let result = try boot.runTakingScreenshot(after: "kernel: holding, as the command line asks\n", to: [ppm, png])
        try #require(!result.timedOut, "the kernel never held, or the screen was not saved in time: \(result.output)")
        let image = try PPMImage(Data(contentsOf: ppm))
        #expect(image.width == 800 && image.height == 600)
        // Each bar is 100 pixels wide; look at the middle of each, at three
        // heights, and at both edges of a bar boundary.
        let bars: [UInt32] = [0xFFFFFF, 0xFFFF00, 0x00FFFF, 0x00FF00, 0xFF00FF, 0xFF0000, 0x0000FF, 0x000000]
        for (index, colour) in bars.enumerated() {
            for y in [0, 300, 599] {
                #expect(image.pixel(x: index * 100 + 50, y: y) == colour, "bar \(index) at y \(y)")
            }
        }
        #expect(image.pixel(x: 99, y: 10) == 0xFFFFFF && image.pixel(x: 100, y: 10) == 0xFFFF00)

        // The same screen as PNG is the file chapter 11 shows.
        let shown = try Data(contentsOf: repositoryRoot.appendingPathComponent("chapters/images/uefi-colour-bars.png"))
        #expect(try Data(contentsOf: png) == shown,
                "the screen differs from chapters/images/uefi-colour-bars.png; \(png.path) is what QEMU shows now")
    }

    /// The rescue ISO with `hold` on the example kernel's command line.
    static func isoWithHoldingKernel(_ recipe: BuildRecipe) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hold-iso-\(UUID().uuidString)")
        let staging = folder.appendingPathComponent("iso")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: recipe.output.appendingPathComponent("iso"), to: staging)
        let config = staging.appendingPathComponent("boot/grub/grub.cfg")
        let text = try String(contentsOf: config, encoding: .utf8)
        let line = "module2 /boot/kernel.elf kernel.elf\n"
        try #require(text.contains(line), "grub.cfg has no \"\(line)\"")
        try text.replacingOccurrences(of: line, with: "module2 /boot/kernel.elf kernel.elf hold\n")
            .write(to: config, atomically: true, encoding: .utf8)
        let iso = folder.appendingPathComponent("swiftboot-hold.iso")
        let made = try Command(.grubMkrescue, ["-o", iso.path, staging.path]).run(timeout: 120)
        try #require(made.status == 0, "grub-mkrescue: \(made.output)")
        return iso
    }
}

/// A binary PPM (P6, 8 bits per channel), as QEMU's screendump writes it.
struct PPMImage {
    var width: Int
    var height: Int
    var rgb: [UInt8]

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            let start = index
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A { index += 1 }
            fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        index += 1  // the single white-space byte before the pixels
        guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
              bytes.count - index == width * height * 3
        else { throw DiagnosticError([.error("not a P6 PPM of 8-bit channels: \(fields)", at: nil)]) }
        self.width = width
        self.height = height
        self.rgb = Array(bytes[index...])
    }

    /// The pixel as 0xRRGGBB.
    func pixel(x: Int, y: Int) -> UInt32 {
        let offset = (y * width + x) * 3
        return UInt32(rgb[offset]) << 16 | UInt32(rgb[offset + 1]) << 8 | UInt32(rgb[offset + 2])
    }
}

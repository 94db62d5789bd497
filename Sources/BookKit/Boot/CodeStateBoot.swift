import Foundation

/// Booting a code state in QEMU (Bochs: `BochsBoot`).
extension CodeState {
    /// A QEMU boot of this state's image, with the example kernel as its
    /// module when the chapters so far define one.
    public func boot(timeout: Double = 10) -> QemuBoot {
        QemuBoot(image: recipe.elf32, modules: recipe.kernel.map { [QemuBoot.Module(path: $0)] } ?? [], timeout: timeout)
    }

    /// A QEMU boot through `bootProtocol`: the ELF32 for Multiboot1, the
    /// ELF64 for PVH, the GRUB rescue ISO (which carries the kernel itself)
    /// for Multiboot2. The firmware (SeaBIOS or OVMF) starts GRUB; QEMU's
    /// own loaders replace it, so UEFI goes with Multiboot2 only.
    public func boot(
        using bootProtocol: QemuBoot.BootProtocol, firmware: QemuBoot.Firmware = .bios, machine: String = "pc",
        memory: String = "128M", serialLog: URL? = nil, timeout: Double = 10
    ) throws -> QemuBoot {
        var boot = self.boot(timeout: timeout)
        boot.bootProtocol = bootProtocol
        boot.firmware = firmware
        boot.machine = machine
        boot.memory = memory
        boot.serialLog = serialLog
        switch bootProtocol {
        case .multiboot1: boot.image = recipe.elf32
        case .pvh: boot.image = recipe.elf64
        case .multiboot2:
            guard let iso = recipe.iso else {
                let state = chapter.map { "the code after chapter \($0)" } ?? "the book"
                throw DiagnosticError([.error("\(state) has no GRUB ISO for Multiboot2: no chapter generates \(BuildRecipe.grubConfig)", at: nil)])
            }
            boot.image = iso
            boot.modules = []
        }
        try boot.validate()
        return boot
    }
}

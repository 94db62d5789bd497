import ArgumentParser
import BookKit
import Foundation

/// The PC `book run` boots swiftboot on.
enum PC: String, ExpressibleByArgument, CaseIterable {
    /// QEMU: Multiboot1, Multiboot2 (GRUB) or PVH, with TCG or KVM.
    case qemu
    /// Bochs: the GRUB rescue ISO from its BIOS's CD boot.
    case bochs
}

extension QemuBoot.Accelerator: ExpressibleByArgument {}

extension QemuBoot {
    /// QEMU's exception log (`-d int`) records only what TCG executes: the
    /// triage of a KVM boot boots again under TCG, and says so.
    func forTriage() -> QemuBoot {
        guard accelerator != .tcg else { return self }
        FileHandle.standardError.write(Data("book: QEMU logs exceptions only under TCG: the triage boots again without --accel \(accelerator.rawValue) (a failure only KVM shows leaves no exception there)\n".utf8))
        var boot = self
        boot.accelerator = .tcg
        return boot
    }
}

extension Run {
    /// Bochs boots only the CD: it has no loader of its own for a
    /// Multiboot1 or PVH image, and none of QEMU's options.
    func validateBochs() throws {
        guard pc == .bochs else { return }
        if let bootProtocol, bootProtocol != .multiboot2 {
            throw ValidationError("--pc bochs boots the GRUB rescue ISO, that is --protocol mb2: Bochs has no loader for \(bootProtocol.rawValue) images (QEMU's -kernel has)")
        }
        if machine != "pc" {
            throw ValidationError("--pc bochs emulates one machine, an i440FX PC like QEMU's pc: leave out --machine \(machine)")
        }
        if accel != .tcg {
            throw ValidationError("--accel \(accel.rawValue) is QEMU's: Bochs interprets every instruction itself")
        }
    }

    /// Builds the ISO and boots it in Bochs; success is swiftboot's exit
    /// value 0x10 on port 0xf4, which Bochs's log reports.
    func runBochs() throws {
        let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
        report(try codeState.build())
        let serialLog = codeState.recipe.output.appendingPathComponent("serial.log")
        let boot = linux
            ? try LinuxParts.make(for: codeState.recipe).bochsBoot(memory: memory, serialLog: serialLog, timeout: timeout ?? 600)
            : try codeState.bochsBoot(memory: memory, serialLog: serialLog, timeout: timeout ?? 60)
        let result = try boot.run { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let log = codeState.recipe.output.appendingPathComponent("bochs.log")
        try? result.log.write(to: log, atomically: true, encoding: .utf8)
        for problem in result.problems {
            FileHandle.standardError.write(Data("book: Bochs: \(problem)\n".utf8))
        }
        FileHandle.standardError.write(Data("book: \(result.summary)\n".utf8))
        if !result.succeeded {
            FileHandle.standardError.write(Data("book: GRUB's output is in \(serialLog.path), Bochs's log in \(log.path)\n".utf8))
            throw ExitCode.failure
        }
    }
}

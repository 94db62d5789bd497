import BookKit
import Foundation
import Testing

@Suite struct ToolTests {
    @Test func aMissingToolSaysHowToInstallIt() {
        let tool = Tool(name: "qemu-system-none", installHint: "apt-get install qemu-system-x86")
        do {
            _ = try tool.locate()
            Issue.record("a tool that does not exist was found")
        } catch {
            #expect("\(error)" == "error: qemu-system-none not found on PATH; apt-get install qemu-system-x86")
        }
    }

    @Test func qemuStatusIsDecodedIntoTheGuestsExitValue() {
        #expect(GuestExit.guestValue(fromQemuStatus: 33) == GuestExit.success)
        #expect(GuestExit.guestValue(fromQemuStatus: 35) == GuestExit.failure)
        #expect(GuestExit.guestValue(fromQemuStatus: 0) == nil)
        #expect(GuestExit.guestValue(fromQemuStatus: 1) == nil)
    }
}

@Suite struct FirmwareTests {
    @Test func aMissingOVMFNamesTheDebianPackage() {
        var boot = QemuBoot(bootProtocol: .multiboot2, firmware: .uefi, image: URL(fileURLWithPath: "/tmp/swiftboot.iso"))
        boot.ovmfFolder = URL(fileURLWithPath: "/nonexistent/OVMF")
        #expect(throws: (any Error).self) { try boot.validate() }
        do {
            try boot.validate()
        } catch {
            #expect("\(error)" == "error: the UEFI firmware file /nonexistent/OVMF/OVMF_CODE_4M.fd is missing; apt-get install ovmf")
        }
    }

    @Test func uefiGoesWithMultiboot2Only() {
        let boot = QemuBoot(bootProtocol: .pvh, firmware: .uefi, image: URL(fileURLWithPath: "/tmp/swiftboot.elf64"))
        do {
            try boot.validate()
            Issue.record("UEFI with QEMU's PVH loader was accepted")
        } catch {
            #expect("\(error)".contains("only through GRUB (--protocol mb2)"))
        }
    }

    /// OVMF's code read-only, its variable store as a snapshot of Debian's
    /// template; SeaBIOS needs no option at all.
    @Test func uefiBootsFromTwoFlashChips() {
        let iso = URL(fileURLWithPath: "/tmp/swiftboot.iso")
        let uefi = QemuBoot(bootProtocol: .multiboot2, firmware: .uefi, image: iso).arguments
        #expect(uefi.contains("if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"))
        #expect(uefi.contains("if=pflash,format=raw,unit=1,snapshot=on,file=/usr/share/OVMF/OVMF_VARS_4M.fd"))
        let bios = QemuBoot(bootProtocol: .multiboot2, image: iso).arguments
        #expect(!bios.contains("-drive") && !bios.contains("-bios"))
    }
}

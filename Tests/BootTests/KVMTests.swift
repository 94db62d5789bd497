import BookKit
import Foundation
import Testing

/// What this machine's /dev/kvm is, looked at once.
let kvm = KVMAvailability.probe()

/// QEMU with KVM: the host's processor runs swiftboot instead of TCG's
/// translation. Without a usable /dev/kvm these tests are skipped, and the
/// skip says why.
/// One boot at a time: on a PVM host each one keeps a processor busy in
/// the host's kernel until its timeout.
@Suite(.serialized) struct KVMTests {
    @Test func theAcceleratorIsOneQEMUOption() {
        var boot = QemuBoot(image: URL(fileURLWithPath: "/tmp/x.elf32"))
        #expect(!boot.arguments.contains("-accel"))
        boot.accelerator = .kvm
        #expect(zip(boot.arguments, boot.arguments.dropFirst()).contains { $0 == "-accel" && $1 == "kvm" }, "\(boot.arguments)")
    }

    /// The example kernel's checks pass on the real processor too. On a
    /// PVM host (KVM without VMX or SVM, as in nested cloud VMs), an
    /// ordinary guest's code runs through KVM's instruction emulator,
    /// which gives up at swiftboot's first SSE instruction: that is a known
    /// issue of the host, recorded as one with the output.
    @Test(.enabled(if: kvm.usable, Comment(rawValue: kvm.description)), arguments: QemuBoot.BootProtocol.allCases)
    func bootsUnderKVM(_ bootProtocol: QemuBoot.BootProtocol) throws {
        let state = try builtBook.get()
        // Under PVM the boot fails within seconds (or never gets out of
        // GRUB): a short timeout keeps the known issue cheap.
        var boot = try state.boot(using: bootProtocol, timeout: kvm.isPVM ? 10 : 20)
        boot.accelerator = .kvm
        let result = try boot.run()
        withKnownIssue(Comment(rawValue: kvm.description + ": QEMU stops with \"KVM internal error. Suberror: 1\" (emulation failure) at swiftboot's first xorps, or the emulated boot is still in GRUB at the timeout")) {
            #expect(result.succeeded, "\(result.summary)\n\(result.output)")
            #expect(result.output.contains("swiftboot: started by \(ProtocolTests.name[bootProtocol]!), load offset 0x"), "\(result.output)")
            #expect(result.output.contains(", protocol \(ProtocolTests.name[bootProtocol]!)\n"), "\(result.output)")
            #expect(result.output.hasSuffix("kernel: all 16 checks passed, exit value 0x10\n"), "\(result.output)")
        } when: {
            kvm.isPVM
        }
    }

    /// Chapter 13 shows what `book run --accel kvm` prints on a PVM host;
    /// only such a host can reproduce it.
    @Test(.enabled(if: kvm.isPVM, Comment(rawValue: kvm.description)))
    func chapter13ShowsTheEmulationFailureOfAPVMHost() throws {
        let book = try copyOfTheBook()
        let run = try runBook(["run", "--accel", "kvm", "--timeout", "20"], in: book.root)
        let mismatch = try sampleMismatch(named: "kvm-emulation-failure", output: run.output)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}

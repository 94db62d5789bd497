import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension QemuBoot {
    /// How QEMU runs the guest's instructions (`-accel`).
    public enum Accelerator: String, Sendable, CaseIterable {
        /// The Tiny Code Generator: QEMU translates each block of guest
        /// code into host code. QEMU's default; works everywhere.
        case tcg
        /// The host's processor runs the guest's code, through Linux's
        /// KVM (`/dev/kvm`); QEMU only emulates the devices.
        case kvm
    }
}

/// Whether this machine's `/dev/kvm` can run a guest, and what kind of KVM
/// it is.
public struct KVMAvailability: Sendable {
    public static let device = "/dev/kvm"
    /// KVM_GET_API_VERSION, `_IO(0xAE, 0x00)`: 12 on every KVM since 2007.
    static let getAPIVersion: UInt = 0xAE00

    /// /dev/kvm opens read-write and answers KVM_GET_API_VERSION with 12.
    public var usable: Bool
    /// The Linux module behind /dev/kvm when it is PVM's (`kvm_pvm`): KVM
    /// without VMX or SVM, for guests that run deprivileged, as a nested
    /// hypervisor in a cloud VM offers it.
    public var isPVM: Bool
    /// Why not, or what it is: for a test's skip and the chapter.
    public var description: String

    /// Looks at this machine.
    public static func probe() -> KVMAvailability {
        let pvm = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm")
        guard FileManager.default.fileExists(atPath: device) else {
            return KVMAvailability(usable: false, isPVM: false, description: "\(device) does not exist: this machine offers no KVM (no kvm_intel or kvm_amd module, or a container without the device)")
        }
        let descriptor = open(device, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            return KVMAvailability(usable: false, isPVM: pvm, description: "\(device) exists but cannot be opened read-write: \(reason) (join the kvm group)")
        }
        defer { close(descriptor) }
        let version = ioctl(descriptor, getAPIVersion, 0)
        guard version == 12 else {
            return KVMAvailability(usable: false, isPVM: pvm, description: "\(device) answers KVM_GET_API_VERSION with \(version), not 12")
        }
        if pvm {
            return KVMAvailability(usable: true, isPVM: true, description: "\(device) is PVM's (module kvm_pvm): KVM without VMX or SVM, made for PVM-aware Linux guests; other code runs through KVM's instruction emulator")
        }
        return KVMAvailability(usable: true, isPVM: false, description: "\(device) is usable (KVM API version 12)")
    }
}

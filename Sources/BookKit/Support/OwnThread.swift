import Foundation

/// Work that blocks — reading a pipe to its end, waiting for a process, a
/// long computation someone waits for — gets a thread of its own. On Linux
/// Dispatch's global queues share a pool of about two threads per core, so
/// a few blocked readers (one per QEMU the tests run at once) would hold up
/// every other item queued there for as long as they block: another boot's
/// reader, and with it that QEMU, which then stalls on a full pipe.
enum OwnThread {
    static func start(_ body: @escaping @Sendable () -> Void) {
        Thread(block: body).start()
    }
}

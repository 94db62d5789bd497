import Dispatch

/// Independent pieces of work spread over the machine's cores. The work
/// only reads what it shares; each piece returns its own result.
enum Parallel {
    /// `transform` applied to every element, the calls spread over the
    /// cores; the results in the order of the elements. One element is
    /// worth no thread: it is transformed on the caller's.
    static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        guard elements.count > 1 else { return elements.map(transform) }
        var results = [Result?](repeating: nil, count: elements.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own slot, so the writes never overlap.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                slots[index] = transform(elements[index])
            }
        }
        return results.map { $0! }
    }

    /// Lets another thread drop `value` (its last reference), so that
    /// freeing a large structure does not hold up the caller.
    static func release<T>(_ value: consuming T) {
        let box = UncheckedBox(value)
        DispatchQueue.global(qos: .utility).async { box.drop() }
    }
}

/// A value computed on another thread while the caller goes on with
/// something else.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once by the background thread before `group` leaves; read
    // only after waiting for `group`.
    private var computed: Value?

    init(_ compute: @escaping @Sendable () -> Value) {
        group.enter()
        OwnThread.start {
            self.computed = compute()
            self.group.leave()
        }
    }

    /// The value, once the background thread has it.
    var value: Value {
        group.wait()
        return computed!
    }
}

/// Carries a value to another thread that only frees it.
private final class UncheckedBox<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: T) { self.value = value }
    func drop() { value = nil }
}

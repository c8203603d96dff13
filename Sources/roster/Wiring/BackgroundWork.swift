import Foundation
import Synchronization

/// Work done on a thread of its own while the run goes on with something else: a reconcile
/// plans while it writes the sources' caches, and renders the plan's text while it applies the
/// plan. On a first sync each pair costs about the same, and done one after the other the second
/// core idled through both.
///
/// A thread rather than a task: `wait` blocks, and it is called from inside the store's
/// synchronous transaction, where a task of Swift's cooperative pool must not be waited for.
final class BackgroundWork<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(_ name: String, _ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let made = work()
            value.withLock { $0 = made }
            finished.signal()
        }
        thread.name = name
        // As much stack as the main thread has (8 MiB), where this work always ran before; a
        // thread's default can be smaller.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The value, once it is made; called once.
    func wait() -> Value {
        finished.wait()
        guard let made = value.withLock({ $0.take() }) else {
            preconditionFailure("BackgroundWork.wait called twice")
        }
        return made
    }
}

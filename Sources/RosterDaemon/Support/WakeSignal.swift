import Dispatch
import Synchronization

/// Wakes the daemon's loop early: a run asked for, a reload, a stop. One waiter at a time (the loop).
///
/// The timeout runs on a dispatch timer, not on a sleeping task, so that a signal and a timeout
/// can race without cancellation: whichever comes first resumes the waiter, the other finds it gone.
final class WakeSignal: Sendable {
    private struct State {
        /// A signal came while nobody waited: the next wait returns at once.
        var pending = false
        var waiter: (generation: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil as CheckedContinuation<Void, Never>?
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns after `timeout`, or sooner when signalled.
    func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation: UInt64? = state.withLock { state in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.generation += 1
                state.waiter = (state.generation, continuation)
                return state.generation
            }
            guard let generation else {
                continuation.resume()
                return
            }
            let nanoseconds = Int(min(max(timeout.timeInterval, 0), 86_400) * 1e9)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
                expire(generation)
            }
        }
    }

    private func expire(_ generation: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.generation == generation else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}

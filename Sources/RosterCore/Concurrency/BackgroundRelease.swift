import Dispatch
import Synchronization

/// Lets go of a value on another thread. A first sync's plan, reads and lookup tables are
/// millions of small blocks (every change, user, assignment and string), and freeing them where
/// they were last used kept that thread busy, alone: the main thread a tenth of a second at
/// 100,000 users between the commit and the plan's output, the planner a tenth of its last steps
/// at a million. A one-shot run exits meanwhile (the system takes the memory back whole); the
/// daemon frees them while it waits for its next run.
public enum BackgroundRelease {
    /// Holds the value until the other thread empties it. Only that thread's closure and the
    /// caller's one statement ever reach it, so the value's last reference goes there.
    private final class Held<Value: Sendable>: Sendable {
        let value: Mutex<Value?>

        init(_ value: consuming Value) {
            self.value = Mutex(value)
        }
    }

    /// `value` must be passed with `consume` (or be a temporary): a copy kept by the caller
    /// would leave the freeing to whichever side lets go last.
    public static func release<Value: Sendable>(_ value: consuming Value) {
        let held = Held(value)
        DispatchQueue.global(qos: .utility).async { held.value.withLock { $0 = nil } }
    }
}

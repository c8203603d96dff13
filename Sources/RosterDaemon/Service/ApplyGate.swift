import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Lets a run apply its changes only while the daemon is not stopping, and lets the stop wait
/// for an apply already under way: a run is applied whole or not at all (SPEC §7).
///
/// Reading and planning may be abandoned at any moment; the apply (one SQLite transaction) is
/// either never begun or waited for.
public final class ApplyGate: Sendable {
    /// The daemon is stopping: this run's changes were not applied.
    public struct Closed: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the daemon is stopping: the run was abandoned before applying anything" }
    }

    private struct State {
        var closed = false
        var applying = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Runs `body` (the apply) unless the gate is closed; throws `Closed` when it is.
    public func perform<T>(_ body: () throws -> T) throws -> T {
        try state.withLock { state in
            guard !state.closed else { throw Closed() }
            state.applying = true
        }
        defer { state.withLock { $0.applying = false } }
        return try body()
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    public var isApplying: Bool { state.withLock { $0.applying } }

    /// Closes the gate: from now on `perform` refuses. An apply already under way goes on.
    public func close() {
        state.withLock { $0.closed = true }
    }

    /// Waits (blocking the calling thread) until no apply is under way.
    ///
    /// - Returns: true when none is under way any more, false when `limit` passed first.
    public func waitUntilIdle(atMost limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while isApplying {
            guard ContinuousClock.now < deadline else { return false }
            // Polling keeps the gate free of condition variables; 20 ms is nothing next to a stop.
            usleep(20_000)
        }
        return true
    }

    /// Closes the gate, then waits for an apply under way; false when `limit` passed first.
    public func close(waitingAtMost limit: Duration) -> Bool {
        close()
        return waitUntilIdle(atMost: limit)
    }
}

import Foundation

/// Runs blocking work (a socket client waiting for its answer) on a thread of its own.
///
/// The control server answers through the concurrency pool; a test that blocked a pool thread
/// while waiting for it could starve the very task that must answer (the pool has one thread per core).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

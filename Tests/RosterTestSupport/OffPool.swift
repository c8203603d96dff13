import Foundation

/// Runs blocking work (a socket client waiting for its answer, a tool that runs for seconds) on a
/// thread of its own.
///
/// A test that blocked a pool thread while waiting could starve the very task that must answer (a
/// control server answers through the concurrency pool, which has one thread per core), and holds
/// up every other test of the process meanwhile.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

import Foundation
import Synchronization

/// Runs blocking libldap work on a thread of its own and awaits its result.
///
/// libldap's calls block the calling thread for up to the source's timeout. On Swift's
/// cooperative pool (a thread per core) a few slow servers would stall every other task, the
/// daemon's signal handling and control socket included; a dedicated thread per read costs
/// little next to a directory read.
enum BlockingWork {
    /// Runs `work` on a new thread. When the awaiting task is cancelled, `work` sees its flag set
    /// (it checks between pages) and finishes early; the result is still awaited.
    static func run<Result: Sendable>(_ work: @escaping @Sendable (CancellationFlag) -> Result) async -> Result {
        let flag = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                let thread = Thread {
                    blockAsynchronousSignals()
                    continuation.resume(returning: work(flag))
                }
                thread.name = "roster-ldap"
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }
}

/// Keeps signals away from the thread blocked in libldap.
///
/// A signal the daemon handles (SIGHUP, SIGTERM) delivered to this thread would interrupt
/// libldap's `poll` and fail the read for nothing. And libldap writes with plain `write(2)`: a
/// server that closes the connection between two pages raises SIGPIPE on the writing thread,
/// which would end the process; blocked, it stays pending here and `write` fails with `EPIPE`,
/// so the read is reported incomplete. Faults (SIGSEGV…) stay unblocked.
private func blockAsynchronousSignals() {
    var signals = sigset_t()
    sigfillset(&signals)
    for fault in [SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT] { sigdelset(&signals, fault) }
    pthread_sigmask(SIG_BLOCK, &signals, nil)
}

/// Set when the task awaiting a blocking read is cancelled.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    func cancel() { state.store(true, ordering: .relaxed) }

    var isCancelled: Bool { state.load(ordering: .relaxed) }
}

import Dispatch

/// Where the daemon's loop and its runs execute: a concurrent dispatch queue of their own, not
/// Swift's cooperative pool.
///
/// Planning and applying a large directory are long synchronous stretches. On the pool (one
/// thread per core; one thread on a small VM) they would hold up the control socket's answers
/// for as long; on this queue the pool stays free for `status`, and the runs for themselves.
final class RunExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "roster.runs", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

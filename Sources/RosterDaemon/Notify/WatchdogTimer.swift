import Dispatch
import Synchronization

/// Sends `WATCHDOG=1` every `interval` on a dispatch timer, independent of the concurrency pool.
public final class WatchdogTimer: Sendable {
    private let timer: Mutex<(any DispatchSourceTimer)?>

    /// Starts pinging at once; `isHealthy` is asked before each ping, and a false answer skips it
    /// so that systemd's watchdog restarts a daemon that stopped working.
    public init(interval: Duration, notifier: SystemdNotifier, isHealthy: @escaping @Sendable () -> Bool) {
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "roster.watchdog"))
        let nanoseconds = Int(max(interval.timeInterval, 0.001) * 1e9)
        source.schedule(deadline: .now(), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(100))
        source.setEventHandler {
            if isHealthy() { notifier.send(.watchdog) }
        }
        source.resume()
        timer = Mutex(source)
    }

    public func cancel() {
        timer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }
}

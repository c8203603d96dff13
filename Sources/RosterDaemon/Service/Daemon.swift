import Foundation
import RosterCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `roster daemon`: runs reconciles on a schedule, answers the control socket, reloads on SIGHUP
/// and stops on SIGTERM / SIGINT without leaving a run half-applied (SPEC §7).
///
/// The store, the sources and the configuration loader are behind `DaemonBackend`; this type only
/// decides when to run and tells systemd, the log and the metrics file how it went.
public final class Daemon: Sendable {
    /// The control socket's ops; add more with `router.register` before `run()`.
    public let router = ControlRouter()

    let backend: any DaemonBackend
    let logger: DaemonLogger
    let notifier: SystemdNotifier
    let gate = ApplyGate()
    let wake = WakeSignal()
    let state: Mutex<State>
    /// How long a stop waits for an apply under way before exiting anyway (SQLite then rolls it back).
    let stopGrace: Duration
    let statusLine = StatusLine()
    /// Runs the loop and, through it, every run: off the cooperative pool (see `RunExecutor`).
    let runExecutor = RunExecutor()
    private let environment: [String: String]
    /// After a stop, how long `run()` may take to return before the process leaves without it.
    private let exitDeadline: Duration?

    struct State {
        var settings: DaemonSettings
        var schedule: Schedule
        var metrics: DaemonMetrics
        var lastReport: RunReport?
        var lastFailure: String?
        var running: DaemonStatus.CurrentRun?
        /// Runs asked for on the control socket, answered by the next run that starts.
        var waiters: [RunWaiter] = []
        var configAuditPending = true
        var lastReload: DaemonStatus.Reload?
        /// The loop's last turn, for the watchdog.
        var heartbeat = Date()
        var stopping = false
        var stopped = false
        var stopContinuation: CheckedContinuation<Void, Never>?
        var server: ControlServer?
        /// Kept for the daemon's life: a second SIGTERM while stopping must reach `stop`, not the default action.
        var signals: UnixSignalHandler?
        var watchdog: WatchdogTimer?
    }

    /// A `reconcile` request waiting for its run.
    struct RunWaiter {
        var sources: [String]
        var force: Bool
        var continuation: CheckedContinuation<Result<RunReport, RunFailure>, Never>
    }

    /// Why a requested run has no report.
    struct RunFailure: Error, CustomStringConvertible {
        var description: String
    }

    public init(
        settings: DaemonSettings, backend: any DaemonBackend, logger: DaemonLogger,
        notifier: SystemdNotifier = SystemdNotifier(),
        environment: [String: String] = ProcessInfo.processInfo.environment, stopGrace: Duration = .seconds(6),
        exitDeadline: Duration? = .seconds(2)
    ) {
        let now = Date()
        state = Mutex(
            State(
                settings: settings, schedule: Schedule(policy: settings.policy, sources: settings.sources, now: now),
                metrics: DaemonMetrics(startedAt: now)))
        self.backend = backend
        self.logger = logger
        self.notifier = notifier
        self.environment = environment
        self.stopGrace = stopGrace
        self.exitDeadline = exitDeadline
    }

    /// Serves until SIGTERM or SIGINT; returns the exit code.
    ///
    /// - Throws: `SocketError` when the control socket cannot be bound (before anything ran).
    public func run() async throws -> Int32 {
        let settings = state.withLock { $0.settings }
        let server = try ControlServer(path: settings.controlSocket, router: router, logger: logger)
        registerOps()
        server.start()
        // A client that hangs up mid-answer must not kill the daemon.
        signal(SIGPIPE, SIG_IGN)
        let signals = UnixSignalHandler(signals: [SIGHUP, SIGTERM, SIGINT]) { [self] number in
            if number == SIGHUP {
                _ = reload(trigger: "SIGHUP")
            } else {
                stop(reason: UnixSignalHandler.name(number))
            }
        }
        let watchdog = WatchdogSettings.pingInterval(environment: environment, pid: getpid()).map { interval in
            WatchdogTimer(interval: interval, notifier: notifier) { [self] in isHealthy() }
        }
        state.withLock { state in
            state.server = server
            state.signals = signals
            state.watchdog = watchdog
        }
        if let problem = notifier.problem { logger.warning(problem) }
        logger.notice(
            "roster daemon \(RosterVersion.current) started: pid \(getpid()), configuration \(settings.configPath) "
                + "(sha256 \(settings.configSHA256.prefix(12))), every \(Self.describe(settings.interval)) ±10%, "
                + "control socket \(settings.controlSocket)")
        notifier.send(.ready + .status("started; first run under way"))
        Task(executorPreference: runExecutor) { [self] in await loop() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state in
                if !state.stopped { state.stopContinuation = continuation }
                return state.stopped
            }
            if stopped { continuation.resume() }
        }
        logger.notice("roster daemon stopped")
        return 0
    }

    /// Begins the stop: no apply may begin from now on, and the rest happens on another queue,
    /// so that a second signal is still heard while the stop waits for an apply under way.
    /// Runs on the signal queue, so it works even while every pool thread is busy with a run.
    func stop(reason: String) {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else {
            logger.warning("\(reason) again while stopping: exiting now; an apply under way is rolled back by SQLite")
            _exit(0)
        }
        gate.close()
        logger.notice("stopping on \(reason)")
        notifier.send(.stopping + .status("stopping on \(reason)"))
        wake.signal()
        DispatchQueue.global().async { [self] in finishStopping() }
    }

    /// Waits for an apply under way (up to `stopGrace`), closes the socket, answers whoever waits
    /// for a run, and lets `run()` return.
    private func finishStopping() {
        let applying = gate.isApplying
        if applying { logger.notice("waiting for the apply under way to commit (at most \(Self.describe(stopGrace)))") }
        let committed = gate.waitUntilIdle(atMost: stopGrace)
        if !committed {
            logger.warning(
                "the apply under way did not commit within \(Self.describe(stopGrace)): exiting anyway; "
                    + "SQLite rolls the transaction back, so the directory stays as before the run")
        } else if applying {
            logger.notice("the apply under way committed")
        }
        let (server, watchdog, waiters, continuation) = state.withLock { state in
            defer {
                state.waiters = []
                state.stopContinuation = nil
                state.stopped = true
            }
            return (state.server, state.watchdog, state.waiters, state.stopContinuation)
        }
        server?.stop()
        watchdog?.cancel()
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(RunFailure(description: "the daemon is stopping")))
        }
        guard committed || exitDeadline == nil else {
            // A transaction is still open on another thread: leave now rather than tear the
            // process down around it; the kernel releases the locks and SQLite rolls it back.
            logger.notice("roster daemon stopped")
            _exit(0)
        }
        continuation?.resume()
        // A run that is still reading or planning may hold pool threads for a while; it can no
        // longer apply anything, so if returning through `run()` takes too long, leave without it.
        if let exitDeadline {
            let milliseconds = Int(exitDeadline.timeInterval * 1000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { _exit(0) }
        }
    }

    /// The watchdog's question: is the loop turning (or busy with a run)?
    private func isHealthy() -> Bool {
        state.withLock { state in
            state.stopping || state.running != nil || Date().timeIntervalSince(state.heartbeat) < 180
        }
    }

    /// `15m`, `2s`, `1.5s`.
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.timeInterval
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 {
            return seconds.truncatingRemainder(dividingBy: 3600) == 0
                ? "\(Int(seconds) / 3600)h" : "\(Int(seconds) / 60)m"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
    }
}

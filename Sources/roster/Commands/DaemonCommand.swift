import Foundation
import RosterCore
import RosterDaemon

/// `roster daemon`: the systemd service (SPEC §7).
struct DaemonCommand: Command {
    static let path = ["daemon"]
    static let abstract = "Run as the service: reconcile on a schedule, answer the control socket."
    static let options: [OptionSpec] = []
    static let discussion = """
        Runs in the foreground (systemd Type=notify): READY=1 once the configuration is loaded and the store
        is open, STATUS= after each run, WATCHDOG=1 when WatchdogSec= is set, to $NOTIFY_SOCKET. A run starts
        at once, then every daemon.interval (±10% jitter); a source that cannot be read completely freezes and
        is retried on its own with exponential backoff, up to the interval.

        Signals: SIGHUP reloads the configuration (a configuration with errors is logged and the one in use
        stays); SIGTERM or SIGINT stops within seconds, never leaving a run half-applied.

        Control socket: daemon.control_socket, by default roster.sock in the folder of directory.path (mode
        0660). roster status and roster reconcile --now talk to it; so can any client writing JSON lines
        such as {"op":"status"}, {"op":"reconcile"}, {"op":"reconcile","sources":["corp"],"force":true},
        {"op":"reload"} or {"op":"oidc.login","id_token":"…"}.

        One daemon per directory: a second one exits 1 naming the pid of the first. Logs go to stderr, one
        line each with a syslog priority prefix (<3> error … <7> debug) for journald; set ROSTER_LOG_LEVEL=debug
        for more. daemon.metrics_file, when set, receives Prometheus text after each run.

        Exit codes: 0 stopped by a signal, 1 the lock, the store or the control socket is unavailable,
        2 configuration error at startup.
        """

    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        self.context = context
    }

    func run() async throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["ROSTER_LOG_LEVEL"].flatMap(DaemonLogger.Level.init(name:)) ?? .info
        let logger = DaemonLogger(minimumLevel: level)
        // Failures before READY go to the journal with an error priority, one line per problem.
        func fail(_ failure: Failure) -> Int32 {
            for line in failure.description.split(whereSeparator: \.isNewline) { logger.error(String(line)) }
            return failure.exitCode
        }
        do {
            let loaded = try context.loadConfigurationWithDigest()
            let lock = try context.lockForDaemon(loaded.configuration)
            defer { withExtendedLifetime(lock) {} }
            // Opened once to prove the store is usable before READY=1; each run opens its own.
            _ = try context.openDirectory(loaded.configuration)
            let backend = DirectoryDaemonBackend(context: context, loaded: loaded)
            let settings = backend.currentSettings
            if loaded.configuration.daemon.interval < SchedulePolicy.shortestInterval {
                logger.warning("daemon.interval is shorter than 1s; using 1s")
            }
            let daemon = Daemon(settings: settings, backend: backend, logger: logger)
            // Ops beyond the daemon's own (status, reconcile, reload): logins pushed by the platform.
            daemon.router.register("oidc.login") { [context] request in
                await OIDCLoginControlOp.handle(request, configuration: backend.configuration, context: context)
            }
            do {
                return try await daemon.run()
            } catch {
                return fail(Failure("\(error)", exitCode: ExitCode.runtime))
            }
        } catch let failure as Failure {
            return fail(failure)
        }
    }
}

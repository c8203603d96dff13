import Foundation
import RosterCore
import RosterDaemon
import RosterStore
import Synchronization

/// The daemon's outside world, wired to the real thing: the configuration file, the sources and
/// the store. Each run opens the store afresh and takes the directory's lock for its duration, as
/// a one-shot `roster reconcile` does, so admin commands can write between runs.
final class DirectoryDaemonBackend: DaemonBackend {
    /// How long a run waits for an admin command (or a one-shot run) to release the directory.
    static let lockPatience: Duration = .seconds(60)

    private let context: CommandContext
    private let current: Mutex<LoadedConfiguration>

    init(context: CommandContext, loaded: LoadedConfiguration) {
        self.context = context
        current = Mutex(loaded)
    }

    var configuration: RosterConfiguration { current.withLock { $0.configuration } }

    /// What the daemon needs of `loaded`.
    func settings(_ loaded: LoadedConfiguration) -> DaemonSettings {
        let configuration = loaded.configuration
        // OIDC sources are scheduled too: their read redeems the stored refresh tokens that are
        // older than `refresh_every` (SPEC §8's periodic pull) and returns the current claims.
        let scheduled = configuration.sources
        return DaemonSettings(
            configPath: configuration.path, configSHA256: loaded.sha256, interval: configuration.daemon.interval,
            fullSyncEvery: configuration.daemon.fullSyncEvery, controlSocket: context.controlSocketPath(configuration),
            metricsFile: configuration.daemon.metricsFile, sources: scheduled.map(\.name))
    }

    var currentSettings: DaemonSettings { settings(current.withLock { $0 }) }

    // MARK: - DaemonBackend

    func reload() throws -> DaemonSettings {
        let loaded: LoadedConfiguration
        do {
            loaded = try context.loadConfigurationWithDigest()
        } catch let failure as Failure {
            throw ReloadRejected(description: failure.description)
        }
        let directory = configuration.directory.path
        guard loaded.configuration.directory.path == directory else {
            throw ReloadRejected(
                description:
                    "\(loaded.configuration.path): directory.path changed from \(directory) to "
                    + "\(loaded.configuration.directory.path); the daemon holds \(directory): restart it to move "
                    + "(systemctl restart roster)")
        }
        current.withLock { $0 = loaded }
        return settings(loaded)
    }

    func recordConfiguration(gate: ApplyGate) async throws {
        let loaded = current.withLock { $0 }
        let database = try context.openDirectory(loaded.configuration)
        guard
            let event = try ReconcileRun.configLoadEvent(
                path: loaded.configuration.path, digest: loaded.sha256, database: database)
        else { return }
        _ = try gate.perform { try database.appendAudit([event], runID: nil, now: Date()) }
    }

    func reconcile(_ request: RunRequest) async throws -> RunReport {
        let loaded = current.withLock { $0 }
        let lock = try await lockDirectory(loaded.configuration, gate: request.gate)
        defer { withExtendedLifetime(lock) {} }
        let database = try context.openDirectory(loaded.configuration)
        var run = ReconcileRun(
            configuration: loaded.configuration, database: database,
            options: ReconcileRun.Options(
                force: request.plan.force, sources: request.plan.sources, rendersBoth: true, full: request.plan.fullRead
            ))
        run.configDigest = loaded.sha256
        run.gate = request.gate
        let result = try await run.run()
        return RunReport(
            runID: result.runID, trigger: request.plan.trigger, startedAt: result.startedAt, finishedAt: Date(),
            exitCode: result.exitCode, outcome: result.outcome, summary: result.summary, changes: result.changes,
            usersByStatus: result.usersByStatus,
            sources: result.sources.map {
                SourceRead(
                    source: $0.source, complete: $0.complete, problem: $0.problem, seconds: $0.seconds, users: $0.users,
                    groups: $0.groups)
            }, problem: result.problem, warnings: result.warning.map { [$0] } ?? [], text: result.text,
            document: result.json)
    }

    /// The directory's lock, waiting while an admin command or a one-shot run holds it.
    private func lockDirectory(_ configuration: RosterConfiguration, gate: ApplyGate) async throws -> DirectoryLock {
        let deadline = ContinuousClock.now + Self.lockPatience
        while true {
            do {
                return try DirectoryLock(directoryPath: configuration.directory.path)
            } catch let held as DirectoryLock.Held {
                if gate.isClosed { throw ApplyGate.Closed() }
                guard ContinuousClock.now < deadline else {
                    throw Failure("\(held) (waited \(Self.lockPatience))", exitCode: ExitCode.runtime)
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

/// A reload the daemon must refuse; the text holds one `PATH:LINE:COL: message` line per problem.
struct ReloadRejected: Error, CustomStringConvertible {
    var description: String
}

import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

extension Daemon {
    /// The ops every daemon answers: `status`, `reconcile` (run now, answer with the run's report) and `reload`.
    func registerOps() {
        router.register("status") { [self] _ in
            do {
                return .success(try ControlJSON.value(status()))
            } catch {
                return .failure("cannot encode the status: \(error)")
            }
        }
        router.register("reconcile") { [self] request in
            await requestRun(request)
        }
        router.register("reload") { [self] _ in
            switch reload(trigger: "control socket") {
            case .accepted(let settings, let changed):
                return .success(
                    .object(["sha256": .string(settings.configSHA256), "changed": .bool(changed)]))
            case .rejected(let problems):
                return .failure("the configuration was rejected and the one in use stays:\n\(problems)")
            }
        }
    }

    /// The daemon's state as the `status` op reports it.
    func status() -> DaemonStatus {
        state.withLock { state in
            DaemonStatus(
                pid: getpid(), version: RosterVersion.current, startedAt: state.metrics.startedAt,
                configPath: state.settings.configPath, configSHA256: state.settings.configSHA256,
                intervalSeconds: state.settings.interval.timeInterval,
                fullSyncEverySeconds: state.settings.fullSyncEvery.timeInterval,
                controlSocket: state.settings.controlSocket, metricsFile: state.settings.metricsFile,
                running: state.running, lastRun: state.lastReport, lastFailure: state.lastFailure,
                nextRun: state.schedule.nextWake, nextFullRead: state.schedule.nextFullRead,
                sources: state.schedule.sources, lastReload: state.lastReload, stopping: state.stopping)
        }
    }

    /// Queues a run for the next turn of the loop and answers with its report.
    private func requestRun(_ request: ControlRequest) async -> ControlResponse {
        let sources: [String]
        do {
            sources = try request.strings("sources")
        } catch {
            return .failure("\(error)")
        }
        let force = request.arguments["force"] == .bool(true)
        let known = state.withLock { $0.settings.sources }
        if let unknown = sources.first(where: { !known.contains($0) }) {
            return .failure(
                "no source \"\(unknown)\" is read by the daemon (sources: \(known.joined(separator: ", ")))")
        }
        let outcome = await withCheckedContinuation { continuation in
            let refused = state.withLock { state in
                guard !state.stopping else { return true }
                state.waiters.append(RunWaiter(sources: sources, force: force, continuation: continuation))
                return false
            }
            if refused {
                continuation.resume(returning: .failure(RunFailure(description: "the daemon is stopping")))
            }
            wake.signal()
        }
        switch outcome {
        case .success(let report):
            do {
                return .success(try ControlJSON.value(report))
            } catch {
                return .failure("cannot encode the run's report: \(error)")
            }
        case .failure(let failure):
            return .failure("the run failed: \(failure)")
        }
    }
}

import Foundation
import RosterCore
import Synchronization
import Testing

@testable import RosterDaemon

/// The daemon's loop and control ops with a backend that only counts, in this process: no
/// signals, no socket (`run()` is exercised by the end-to-end tests on the built binary).
// A hang guard only: with end-to-end suites blocking pool threads in the same process, answers
// can wait a long time for a thread.
@Suite(.timeLimit(.minutes(10)))
struct DaemonLoopTests {
    /// Records what the daemon asked; its reload fails while `rejectReload` is set.
    final class FakeBackend: DaemonBackend {
        struct State {
            var requests: [RunPlan] = []
            var audits = 0
            var rejectReload = false
            var digest = "a1"
            var failNextRun = false
        }

        let state = Mutex(State())

        func settings(digest: String) -> DaemonSettings {
            DaemonSettings(
                configPath: "roster.yaml", configSHA256: digest, interval: .seconds(3600),
                fullSyncEvery: .seconds(6 * 3600), controlSocket: "/tmp/unused.sock", metricsFile: nil,
                sources: ["corp", "demo"])
        }

        func reload() throws -> DaemonSettings {
            let (reject, digest) = state.withLock { ($0.rejectReload, $0.digest) }
            if reject { throw ControlProtocolError("roster.yaml:3:5: unknown key \"mapings\"") }
            return settings(digest: digest)
        }

        func recordConfiguration(gate: ApplyGate) async throws {
            try gate.perform { state.withLock { $0.audits += 1 } }
        }

        func reconcile(_ request: RunRequest) async throws -> RunReport {
            let fail = state.withLock { state in
                state.requests.append(request.plan)
                defer { state.failNextRun = false }
                return state.failNextRun
            }
            if fail { throw ControlProtocolError("database is locked") }
            let sources = request.plan.sources.isEmpty ? ["corp", "demo"] : request.plan.sources
            return try request.gate.perform {
                RunReport(
                    runID: "run-\(UUID().uuidString.prefix(4))", trigger: request.plan.trigger, startedAt: Date(),
                    finishedAt: Date(), exitCode: 0, outcome: "applied", summary: "1 created",
                    changes: ["create": 1], usersByStatus: ["active": 1],
                    sources: sources.map { SourceRead(source: $0, complete: true, seconds: 0.1, users: 1, groups: 0) },
                    text: "+ create alice@example.com")
            }
        }
    }

    private func makeDaemon() -> (Daemon, FakeBackend, Lines) {
        let backend = FakeBackend()
        let lines = Lines()
        let daemon = Daemon(
            settings: backend.settings(digest: "a1"), backend: backend,
            logger: DaemonLogger(sink: { lines.append($0) }),
            notifier: SystemdNotifier(environment: [:]), environment: [:], exitDeadline: nil)
        daemon.registerOps()
        return (daemon, backend, lines)
    }

    private func waitUntil(_ condition: () -> Bool) async {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func theFirstRunHappensAtOnceAndRequestedRunsAnswerWithTheirReport() async throws {
        let (daemon, backend, _) = makeDaemon()
        let loop = Task(executorPreference: daemon.runExecutor) { await daemon.loop() }
        await waitUntil { backend.state.withLock { $0.requests.count } == 1 }
        #expect(backend.state.withLock { $0.audits } == 1)

        let answer = await daemon.router.handle(
            ControlRequest(op: "reconcile", arguments: ["sources": .strings(["demo"])]))
        #expect(answer.ok, "\(answer.error ?? "")")
        let report = try ControlJSON.decode(RunReport.self, from: try #require(answer.result))
        #expect(report.trigger == .requested && report.text == "+ create alice@example.com")
        #expect(
            backend.state.withLock { $0.requests.last }
                == RunPlan(sources: ["demo"], trigger: .requested, fullRead: false))

        let unknown = await daemon.router.handle(
            ControlRequest(op: "reconcile", arguments: ["sources": .strings(["ldap"])]))
        #expect(!unknown.ok && unknown.error?.contains("no source \"ldap\"") == true)

        let status = await daemon.router.handle(ControlRequest(op: "status"))
        let decoded = try ControlJSON.decode(DaemonStatus.self, from: try #require(status.result))
        #expect(decoded.lastRun?.trigger == .requested && decoded.lastRun?.text == nil)
        #expect(decoded.sources.map(\.state) == [.healthy, .healthy])
        #expect(decoded.nextRun > Date().addingTimeInterval(3000))

        daemon.stop(reason: "test")
        await loop.value
    }

    @Test func aRejectedReloadKeepsTheConfigurationAndAnAcceptedOneRunsAtOnce() async throws {
        let (daemon, backend, lines) = makeDaemon()
        let loop = Task(executorPreference: daemon.runExecutor) { await daemon.loop() }
        await waitUntil { backend.state.withLock { $0.requests.count } == 1 }

        backend.state.withLock { $0.rejectReload = true }
        let rejected = await daemon.router.handle(ControlRequest(op: "reload"))
        #expect(!rejected.ok && rejected.error?.contains("roster.yaml:3:5: unknown key") == true)
        #expect(lines.all.contains("<3>reload (control socket) rejected: roster.yaml:3:5: unknown key \"mapings\"\n"))
        #expect(daemon.status().configSHA256 == "a1" && daemon.status().lastReload?.accepted == false)

        backend.state.withLock {
            $0.rejectReload = false
            $0.digest = "b2"
        }
        let accepted = await daemon.router.handle(ControlRequest(op: "reload"))
        #expect(accepted.ok && accepted.result?["changed"] == .bool(true))
        await waitUntil { backend.state.withLock { $0.requests.count } == 2 }
        #expect(backend.state.withLock { $0.requests.count } == 2)
        #expect(backend.state.withLock { $0.audits } == 2)
        #expect(daemon.status().configSHA256 == "b2")

        daemon.stop(reason: "test")
        await loop.value
    }

    @Test func aFailedRunIsLoggedAndAnsweredAndTheDaemonCarriesOn() async throws {
        let (daemon, backend, lines) = makeDaemon()
        let loop = Task(executorPreference: daemon.runExecutor) { await daemon.loop() }
        await waitUntil { backend.state.withLock { $0.requests.count } == 1 }
        backend.state.withLock { $0.failNextRun = true }
        let failed = await daemon.router.handle(ControlRequest(op: "reconcile"))
        #expect(!failed.ok && failed.error == "the run failed: database is locked")
        #expect(lines.all.contains { $0.hasPrefix("<3>run failed: database is locked") })
        #expect(daemon.status().lastFailure == "database is locked")
        let next = await daemon.router.handle(ControlRequest(op: "reconcile"))
        #expect(next.ok)
        daemon.stop(reason: "test")
        await loop.value
        let afterStop = await daemon.router.handle(ControlRequest(op: "reconcile"))
        #expect(afterStop.error == "the run failed: the daemon is stopping")
    }
}

import Foundation
import RosterCore

/// What the daemon has measured since it started, rendered as the Prometheus text of
/// `daemon.metrics_file` after each run.
public struct DaemonMetrics: Sendable {
    public let startedAt: Date
    public private(set) var lastReport: RunReport?
    /// Runs since start by outcome; runs that failed as a whole count as `failed`.
    public private(set) var runsByOutcome: [String: Int] = [:]
    public private(set) var changesTotal: [String: Int] = [:]
    /// The end of the last run that exited 0.
    public private(set) var lastSuccess: Date?
    /// Each source's latest read, whichever run made it.
    public private(set) var lastRead: [String: SourceRead] = [:]
    public private(set) var sourceLastSuccess: [String: Date] = [:]
    public private(set) var reloads: [String: Int] = [:]
    public private(set) var lastReloadSucceeded = true

    public init(startedAt: Date) { self.startedAt = startedAt }

    public mutating func record(_ report: RunReport) {
        lastReport = report
        runsByOutcome[report.outcome, default: 0] += 1
        for (kind, count) in report.changes { changesTotal[kind, default: 0] += count }
        if report.exitCode == 0 { lastSuccess = report.finishedAt }
        for read in report.sources {
            lastRead[read.source] = read
            if read.complete { sourceLastSuccess[read.source] = report.finishedAt }
        }
    }

    /// A run that failed as a whole (it threw before it could report).
    public mutating func recordFailedRun() {
        runsByOutcome["failed", default: 0] += 1
    }

    public mutating func recordReload(succeeded: Bool) {
        reloads[succeeded ? "success" : "failure", default: 0] += 1
        lastReloadSucceeded = succeeded
    }

    // MARK: - Rendering

    /// The metrics file's text.
    public func render() -> String {
        var text = PrometheusText()
        text.add(
            "roster_daemon_start_time_seconds", .gauge, help: "When the daemon started, in Unix time.",
            value: startedAt.timeIntervalSince1970)
        text.add(
            "roster_runs_total", .counter, help: "Reconcile runs since the daemon started, by outcome.",
            runsByOutcome.keys.sorted().map { .init([("outcome", $0)], Double(runsByOutcome[$0] ?? 0)) })
        if let report = lastReport { renderLastRun(report, into: &text) }
        text.add(
            "roster_changes_total", .counter, help: "Changes applied since the daemon started, by kind.",
            UserChange.Action.allCases.map { .init([("kind", $0.rawValue)], Double(changesTotal[$0.rawValue] ?? 0)) })
        if let lastSuccess {
            text.add(
                "roster_last_success_timestamp_seconds", .gauge, help: "When the last run that exited 0 ended.",
                value: lastSuccess.timeIntervalSince1970)
        }
        renderSources(into: &text)
        text.add(
            "roster_config_reloads_total", .counter, help: "Configuration reloads since start, by result.",
            ["success", "failure"].map { .init([("result", $0)], Double(reloads[$0] ?? 0)) })
        text.add(
            "roster_config_last_reload_successful", .gauge,
            help: "1 when the last reload was accepted (or none was tried), 0 when it was rejected.",
            value: lastReloadSucceeded ? 1 : 0)
        return text.text
    }

    private func renderLastRun(_ report: RunReport, into text: inout PrometheusText) {
        text.add(
            "roster_run_duration_seconds", .gauge, help: "How long the last run took.", value: report.duration)
        text.add(
            "roster_run_timestamp_seconds", .gauge, help: "When the last run ended, in Unix time.",
            value: report.finishedAt.timeIntervalSince1970)
        text.add(
            "roster_run_exit_code", .gauge, help: "The last run's exit code (0 ok, 3 safety abort, 4 a source froze).",
            value: Double(report.exitCode))
        text.add(
            "roster_run_changes", .gauge, help: "Changes of the last run, by kind.",
            UserChange.Action.allCases.map { .init([("kind", $0.rawValue)], Double(report.changes[$0.rawValue] ?? 0)) })
        text.add(
            "roster_users", .gauge, help: "Users of the directory by status, after the last run.",
            UserStatus.allCases.map { .init([("status", $0.rawValue)], Double(report.usersByStatus[$0.rawValue] ?? 0)) }
        )
    }

    private func renderSources(into text: inout PrometheusText) {
        let reads = lastRead.keys.sorted().compactMap { lastRead[$0] }
        text.add(
            "roster_source_up", .gauge, help: "1 when the source's latest read was complete, 0 when it froze.",
            reads.map { .init([("source", $0.source)], $0.complete ? 1 : 0) })
        text.add(
            "roster_source_read_duration_seconds", .gauge, help: "How long the source's latest read took.",
            reads.map { .init([("source", $0.source)], $0.seconds) })
        text.add(
            "roster_source_entries", .gauge, help: "Entries the source's latest read returned, by kind.",
            reads.flatMap {
                [
                    PrometheusText.Sample([("source", $0.source), ("kind", "users")], Double($0.users)),
                    PrometheusText.Sample([("source", $0.source), ("kind", "groups")], Double($0.groups)),
                ]
            })
        text.add(
            "roster_source_last_success_timestamp_seconds", .gauge,
            help: "When the source was last read completely, in Unix time.",
            sourceLastSuccess.keys.sorted().map {
                .init([("source", $0)], sourceLastSuccess[$0]?.timeIntervalSince1970 ?? 0)
            })
    }
}

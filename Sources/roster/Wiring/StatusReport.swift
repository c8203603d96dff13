import Foundation
import RosterCore
import RosterDaemon
import RosterStore

/// What `roster status` prints: the daemon's answer (if any) and the store's last runs.
struct StatusReport {
    var controlSocket: String
    var directory: String
    var daemon: DaemonStatus?
    /// Why the daemon could not be asked, when it is not simply absent.
    var daemonProblem: String?
    var runs: [RunRecord] = []

    init(controlSocket: String, directory: String) {
        self.controlSocket = controlSocket
        self.directory = directory
    }

    // MARK: - JSON

    func json() throws -> JSONValue {
        .object([
            "control_socket": .string(controlSocket),
            "directory": .string(directory),
            "daemon": try daemon.map { try ControlJSON.value($0) } ?? .null,
            "daemon_problem": .optional(daemonProblem),
            "runs": .array(
                runs.map { run in
                    .object([
                        "id": .string(run.id), "started_at": .string(Timestamp.string(run.startedAt)),
                        "finished_at": .optional(run.finishedAt.map(Timestamp.string)),
                        "outcome": .string(run.outcome), "summary": .string(run.summary),
                        "exit_code": run.exitCode.map { .int(Int64($0)) } ?? .null,
                    ])
                }),
        ])
    }

    // MARK: - Text

    func text(now: Date = Date()) -> String {
        let clock = StatusLine()
        var lines: [String] = []
        if let daemon {
            lines += daemonLines(daemon, clock: clock, now: now)
        } else if let daemonProblem {
            lines.append("daemon: unknown (\(daemonProblem))")
        } else {
            lines.append("daemon: not running (nobody answers on \(controlSocket))")
        }
        lines.append("")
        if runs.isEmpty {
            lines.append("last runs: none recorded in \(directory)")
        } else {
            lines.append("last runs (\(directory)):")
            let rows = runs.map { run in
                [
                    clock.clock(run.startedAt, seconds: true, relativeTo: now), run.outcome,
                    run.exitCode.map(String.init) ?? "-", run.summary, run.id,
                ]
            }
            lines.append(
                TextTable.render(header: ["started", "outcome", "exit", "summary", "run"], rows: rows)
                    .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }

    private func daemonLines(_ daemon: DaemonStatus, clock: StatusLine, now: Date) -> [String] {
        func at(_ date: Date) -> String { clock.clock(date, seconds: true, relativeTo: now) }
        var lines = [
            "daemon: \(daemon.stopping ? "stopping" : "running"), pid \(daemon.pid), up since \(at(daemon.startedAt)) "
                + "(roster \(daemon.version))",
            "  configuration: \(daemon.configPath) (sha256 \(daemon.configSHA256.prefix(12))), every "
                + "\(Self.duration(daemon.intervalSeconds)) ±10%, full read every \(Self.duration(daemon.fullSyncEverySeconds))",
            "  control socket: \(daemon.controlSocket)" + (daemon.metricsFile.map { "; metrics: \($0)" } ?? ""),
        ]
        if let run = daemon.lastRun {
            lines.append(
                "  last run: \(run.runID) \(run.outcome) at \(at(run.finishedAt)) ("
                    + String(format: "%.2f s", run.duration)
                    + ", exit \(run.exitCode)): \(run.summary)")
        }
        if let failure = daemon.lastFailure { lines.append("  last run failed: \(failure)") }
        if let running = daemon.running {
            lines.append("  now: running since \(at(running.startedAt)) (\(running.trigger.rawValue))")
        }
        let wait = max(0, daemon.nextRun.timeIntervalSince(now))
        lines.append(
            "  next run: \(at(daemon.nextRun)) (in \(Self.duration(wait.rounded())))"
                + (daemon.nextFullRead.map { "; next full read: \(at($0))" } ?? "; the next run reads in full"))
        if let reload = daemon.lastReload {
            lines.append(
                "  last reload: \(at(reload.at)) "
                    + (reload.accepted
                        ? "accepted" : "REJECTED: " + (reload.error ?? "").replacingOccurrences(of: "\n", with: "; ")))
        }
        lines.append("sources:")
        let rows = daemon.sources.map { health -> [String] in
            switch health.state {
            case .unknown:
                return [health.source, "not read yet", ""]
            case .healthy:
                return [
                    health.source, "healthy",
                    "last read \(health.lastSuccess.map(at) ?? "-"): \(health.lastUsers ?? 0) users, "
                        + "\(health.lastGroups ?? 0) groups in "
                        + String(format: "%.2f s", health.lastReadSeconds ?? 0),
                ]
            case .failing:
                return [
                    health.source, "FAILING",
                    "\(health.consecutiveFailures) failed read(s) in a row, last success "
                        + "\(health.lastSuccess.map(at) ?? "never"): \(health.problem ?? "unknown problem")"
                        + (health.nextRetry.map { "; retry at \(at($0))" } ?? ""),
                ]
            }
        }
        lines.append(
            TextTable.render(header: ["source", "state", "details"], rows: rows).split(separator: "\n")
                .map { "  " + $0 }.joined(separator: "\n"))
        return lines
    }

    /// `15m`, `2s`, `1h 30m`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        return [hours > 0 ? "\(hours)h" : nil, minutes > 0 ? "\(minutes)m" : nil, rest > 0 ? "\(rest)s" : nil]
            .compactMap { $0 }.joined(separator: " ")
    }
}

import Foundation
import Testing

@testable import RosterDaemon

struct MetricsTests {
    static func report(exitCode: Int32 = 0, frozen: Bool = false, finished: Date) -> RunReport {
        RunReport(
            runID: "20261122T120003Z-abc123", trigger: .scheduled, startedAt: finished - 1.5, finishedAt: finished,
            exitCode: exitCode, outcome: frozen ? "partial" : "applied", summary: "3 created",
            changes: ["create": 3, "deactivate": 1], usersByStatus: ["active": 50, "inactive": 2],
            sources: [
                SourceRead(source: "demo", complete: true, seconds: 0.25, users: 60, groups: 17),
                SourceRead(
                    source: "corp \"eu\"", complete: !frozen, problem: frozen ? "timeout" : nil, seconds: 30, users: 0,
                    groups: 0),
            ])
    }

    @Test func theMetricsTextParsesBackWithEveryFamilyTyped() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var metrics = DaemonMetrics(startedAt: start)
        metrics.record(Self.report(finished: start + 10))
        metrics.record(Self.report(exitCode: 4, frozen: true, finished: start + 20))
        metrics.recordFailedRun()
        metrics.recordReload(succeeded: false)
        let parsed = try PrometheusParser(metrics.render())

        #expect(parsed.value("roster_run_duration_seconds") == 1.5)
        #expect(parsed.value("roster_run_exit_code") == 4)
        #expect(parsed.value("roster_runs_total", ["outcome": "applied"]) == 1)
        #expect(parsed.value("roster_runs_total", ["outcome": "partial"]) == 1)
        #expect(parsed.value("roster_runs_total", ["outcome": "failed"]) == 1)
        #expect(parsed.value("roster_run_changes", ["kind": "create"]) == 3)
        #expect(parsed.value("roster_run_changes", ["kind": "delete"]) == 0)
        #expect(parsed.value("roster_changes_total", ["kind": "create"]) == 6)
        #expect(parsed.value("roster_users", ["status": "active"]) == 50)
        #expect(parsed.value("roster_users", ["status": "deleted"]) == 0)
        #expect(parsed.value("roster_source_up", ["source": "demo"]) == 1)
        #expect(parsed.value("roster_source_up", ["source": "corp \"eu\""]) == 0)
        #expect(parsed.value("roster_source_read_duration_seconds", ["source": "demo"]) == 0.25)
        #expect(parsed.value("roster_source_entries", ["source": "demo", "kind": "users"]) == 60)
        #expect(parsed.value("roster_source_entries", ["source": "demo", "kind": "groups"]) == 17)
        #expect(parsed.value("roster_source_last_success_timestamp_seconds", ["source": "demo"]) == 1_800_000_020)
        // The frozen source keeps the time of its last complete read.
        #expect(
            parsed.value("roster_source_last_success_timestamp_seconds", ["source": "corp \"eu\""]) == 1_800_000_010)
        #expect(parsed.value("roster_last_success_timestamp_seconds") == 1_800_000_010)
        #expect(parsed.value("roster_config_reloads_total", ["result": "failure"]) == 1)
        #expect(parsed.value("roster_config_last_reload_successful") == 0)
        #expect(parsed.types["roster_runs_total"] == "counter" && parsed.types["roster_users"] == "gauge")
    }

    @Test func beforeTheFirstRunOnlyTheDaemonsOwnFamiliesAppear() throws {
        let parsed = try PrometheusParser(DaemonMetrics(startedAt: Date(timeIntervalSince1970: 5)).render())
        #expect(parsed.value("roster_daemon_start_time_seconds") == 5)
        #expect(parsed.value("roster_run_duration_seconds") == nil)
        #expect(parsed.value("roster_last_success_timestamp_seconds") == nil)
    }

    @Test(arguments: [
        ("a\\b", "a\\\\b"), ("say \"hi\"", "say \\\"hi\\\""), ("two\nlines", "two\\nlines"), ("plain", "plain"),
    ])
    func labelValuesAreEscaped(raw: String, escaped: String) {
        #expect(PrometheusText.escapeLabel(raw) == escaped)
    }

    @Test(arguments: [(3.0, "3"), (0.25, "0.25"), (-1.0, "-1"), (Double.infinity, "+Inf"), (Double.nan, "NaN")])
    func valuesAreFormattedAsPrometheusReadsThem(value: Double, text: String) {
        #expect(PrometheusText.format(value) == text)
    }

    @Test func theFileIsReplacedAtomicallyWithoutLeftovers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("roster.prom").path
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["roster.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("x", to: folder.path + "/missing/roster.prom") }
    }
}

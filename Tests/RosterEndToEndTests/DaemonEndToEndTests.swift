import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `roster daemon` as systemd runs it (SPEC §7): the built binary on a copy of the demo, with a
/// 2 s interval and a notify socket of the test's own.
@Suite(.serialized)
struct DaemonEndToEndTests {
    static let interval = 2.0
    /// Two intervals with their jitter, plus room for a run on a busy machine.
    static let twoIntervals = 2 * interval * 1.1 + 8

    @Test func itSignalsReadyKeepsTheDirectoryInStepAndStopsOnSIGTERM() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.configureDaemon()
        // An abstract notify socket, as some systemd versions hand out, and a watchdog.
        let daemon = try DaemonProcess(
            demo, notifySocket: "@roster-e2e-\(UUID().uuidString)", environment: ["WATCHDOG_USEC": "2000000"])
        defer { daemon.terminate() }

        #expect(await daemon.waitUntilReady(), "no READY=1; log:\n\(daemon.log)")
        let first = try #require(await daemon.waitForRun(), "no run reported; log:\n\(daemon.log)")
        #expect(first.contains("52 changes, next "))
        #expect(try demo.usersJSON().count == 52)
        #expect(await daemon.notify.wait(for: 5) { $0 == "WATCHDOG=1" } != nil)

        // The source changes: within two intervals the directory follows.
        let seen = daemon.notify.all.count
        try demo.writeLDIF(demo.removingEntry("uid=bruno.costa", from: demo.readLDIF()))
        let followed = try await daemon.eventually(Self.twoIntervals) {
            try demo.listedUser("bruno.costa@example.com")?["status"] as? String == "inactive"
        }
        #expect(followed, "the removal did not reach the directory; log:\n\(daemon.log)")
        #expect(await daemon.waitForRun(after: seen)?.contains("1 change") == true)

        // The metrics file parses, and says what the last runs did.
        let metrics = try PrometheusSamples(String(contentsOf: demo.metricsFile, encoding: .utf8))
        #expect(metrics.value("roster_source_up", ["source": "demo"]) == 1)
        #expect(metrics.value("roster_source_entries", ["source": "demo", "kind": "users"]) != nil)
        #expect(metrics.value("roster_users", ["status": "active"]).map { $0 >= 51 } == true)
        #expect(metrics.value("roster_changes_total", ["kind": "create"]) == 52)
        #expect(metrics.value("roster_changes_total", ["kind": "deactivate"]) == 1)
        #expect(metrics.value("roster_last_success_timestamp_seconds").map { $0 > 1_700_000_000 } == true)
        #expect(metrics.value("roster_run_duration_seconds") != nil)

        // Logs: one line each, with a syslog priority.
        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("<") && $0.dropFirst(2).hasPrefix(">") })
        #expect(daemon.log.contains("<6>source demo: "))

        let started = Date()
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 10) == 0, "log:\n\(daemon.log)")
        let latency = daemon.secondsToExit(since: started) ?? Date().timeIntervalSince(started)
        print("daemon stop latency (idle): \(String(format: "%.3f", latency)) s")
        #expect(daemon.notify.all.contains { $0.hasPrefix("STOPPING=1") })
        #expect(
            !FileManager.default.fileExists(atPath: demo.root.appendingPathComponent("roster-demo/roster.sock").path))
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func statusAndReconcileNowGoThroughTheSocketAndStatusReadsTheStoreWhenTheDaemonIsDown() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.configureDaemon(interval: "1h")
        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady())
        #expect(await daemon.waitForRun() != nil, "log:\n\(daemon.log)")

        let status = try demo.run(["status"])
        #expect(status.exitCode == 0, "\(status.stderr)")
        #expect(status.stdout.contains("daemon: running, pid \(daemon.pid)"))
        #expect(status.stdout.contains("demo    healthy"))
        #expect(status.stdout.contains("52 created, 0 updated"))
        let json = try JSONSerialization.jsonObject(
            with: Data(try demo.run(["status", "--format", "json"]).stdout.utf8))
        let document = try #require(json as? [String: Any])
        let daemonJSON = try #require(document["daemon"] as? [String: Any])
        #expect(daemonJSON["pid"] as? Int == Int(daemon.pid))
        #expect(
            (daemonJSON["last_run"] as? [String: Any])?["summary"] as? String
                == "52 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted")
        #expect((daemonJSON["sources"] as? [[String: Any]])?.first?["state"] as? String == "healthy")

        // With a 1 h interval, only --now explains a run within seconds.
        try demo.writeLDIF(demo.removingEntry("uid=bruno.costa", from: demo.readLDIF()))
        let now = try demo.run(["reconcile", "--now"])
        #expect(now.exitCode == 0, "\(now.stderr)")
        #expect(now.stdout.contains("- deactivate  bruno.costa@example.com"))
        #expect(now.stdout.contains("0 created, 0 updated, 1 deactivated, 0 reactivated, 0 deleted"))
        let nowJSON = try demo.run(["reconcile", "--now", "--format", "json", "--source", "demo"])
        #expect(nowJSON.exitCode == 0)
        #expect(nowJSON.stdout.contains("\"summary\""))
        #expect(try demo.run(["reconcile", "--now", "--source", "nope"]).stderr.contains("no source \"nope\""))
        #expect(try demo.run(["reconcile", "--now", "--dry-run"]).exitCode == 2)

        // The binary adds oidc.login to the daemon's ops.
        let socket = demo.root.appendingPathComponent("roster-demo/roster.sock").path
        let login = try DaemonProcess.controlRequest(#"{"op":"oidc.login"}"#, socket: socket)
        #expect(login.contains(#"needs \"id_token\""#), "\(login)")

        daemon.send(SIGINT)
        #expect(await daemon.waitForExit(timeout: 10) == 0)
        let down = try demo.run(["status"])
        #expect(down.exitCode == 0, "\(down.stderr)")
        #expect(down.stdout.contains("daemon: not running"))
        #expect(down.stdout.contains("0 created, 0 updated, 1 deactivated, 0 reactivated, 0 deleted"))
        let missing = try demo.run(["reconcile", "--now"])
        #expect(missing.exitCode == 1 && missing.stderr.contains("no roster daemon answers"))
    }

    @Test func oneDaemonPerDirectoryAndOneShotRunsDeferToIt() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.configureDaemon(interval: "1h")
        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady())
        #expect(await daemon.waitForRun() != nil)

        let second = try DaemonProcess(demo, notifySocket: demo.root.appendingPathComponent("notify2.sock").path)
        defer { second.terminate() }
        #expect(await second.waitForExit(timeout: 15) == 1)
        #expect(second.log.contains("another roster daemon (pid \(daemon.pid)) already serves the directory"))
        #expect(!second.notify.all.contains("READY=1"))

        let oneShot = try demo.run(["reconcile"])
        #expect(oneShot.exitCode == 1)
        #expect(oneShot.stderr.contains("the roster daemon (pid \(daemon.pid)) holds the directory"))
        #expect(oneShot.stderr.contains("roster reconcile --now"))
        // Reading is fine: a dry run and the admin commands' reads and writes work between runs.
        #expect(try demo.run(["reconcile", "--dry-run"]).exitCode == 0)
        #expect(try demo.run(["users", "list"]).exitCode == 0)
        let deactivate = try demo.run(["users", "deactivate", "alice@example.com"])
        #expect(deactivate.exitCode == 0, "\(deactivate.stderr)")
        #expect(daemon.process.isRunning)

        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 10) == 0)
        // Gone: one-shot runs are allowed again.
        #expect(try demo.run(["reconcile"]).exitCode == 0)
    }

    @Test func sighupKeepsTheOldConfigurationWhenTheNewOneIsBrokenAndAppliesAFixedOne() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.configureDaemon(interval: "1h")
        let original = try demo.configText()
        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady())
        #expect(await daemon.waitForRun() != nil)

        // A typo: the whole file is checked first, the error logged with its position, the old one kept.
        try demo.writeConfig(original + "mapings: []\n")
        daemon.send(SIGHUP)
        // Both lines of the rejection are logged before the daemon goes on: wait for the second.
        let rejected = await daemon.eventually(10) { daemon.log.contains("keeping the configuration in use") }
        #expect(rejected, "log:\n\(daemon.log)")
        let position =
            "\(demo.config.path):\(original.split(separator: "\n", omittingEmptySubsequences: false).count):1:"
        #expect(daemon.log.contains("<3>reload (SIGHUP) rejected: \(position)"), "log:\n\(daemon.log)")
        #expect(daemon.log.contains("keeping the configuration in use"))
        #expect(daemon.process.isRunning)
        let socket = demo.root.appendingPathComponent("roster-demo/roster.sock").path
        let status = try DaemonProcess.controlRequest(#"{"op":"status"}"#, socket: socket)
        #expect(status.contains(#""last_reload":{"accepted":false"#), "\(status)")

        // Fixed, with a new default role: it is audited, applied at once, and in use.
        let fixed = original.replacingOccurrences(
            of: "defaults: {type: user, roles: [viewer]}", with: "defaults: {type: user, roles: [viewer, analyst]}")
        #expect(fixed != original)
        try demo.writeConfig(fixed)
        let seen = daemon.notify.all.count
        daemon.send(SIGHUP)
        let applied = try await daemon.eventually(Self.twoIntervals) {
            (try demo.listedUser("alice@example.com")?["roles"] as? [String])?.contains("analyst") == true
        }
        #expect(applied, "log:\n\(daemon.log)")
        #expect(await daemon.notify.wait(for: 5, after: seen) { $0.hasPrefix("RELOADING=1") } != nil)
        #expect(daemon.log.contains("configuration reloaded (SIGHUP)"))
        let audit = try demo.run(["audit", "list", "--action", "config.load", "--format", "json"])
        let records = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]] ?? []
        let digests = records.compactMap { ($0["changes"] as? [String: Any])?["sha256"] as? String }
        #expect(digests.count == 2)
        #expect(digests.last == Self.sha256(of: demo.config))
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)

        // The control socket's reload answers the same way, with the problems in its error.
        try demo.writeConfig(fixed + "bogus: 1\n")
        let refused = try DaemonProcess.controlRequest(#"{"op":"reload"}"#, socket: socket)
        #expect(refused.contains("\"ok\":false") && refused.contains("unknown key"), "\(refused)")
        try demo.writeConfig(fixed)
        let accepted = try DaemonProcess.controlRequest(#"{"op":"reload","id":1}"#, socket: socket)
        #expect(accepted.contains("\"changed\":false") && accepted.contains("\"id\":1"), "\(accepted)")

        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 10) == 0)
    }

    @Test func aSourceThatCannotBeReadFreezesAndIsRetriedAloneWhileTheOthersApply() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        // An LDAP source on a port where nothing listens: every read of it is incomplete.
        let config = try demo.configText().replacingOccurrences(
            of: "sources:\n",
            with: "sources:\n  corp:\n    type: ldap\n    url: ldap://127.0.0.1:9\n    timeout: 2s\n"
                + "    users: {base: ou=people,dc=example,dc=com}\n")
        try demo.writeConfig(config)
        // 4 s: the first retry (after 1 s) comes well before the next regular run.
        try demo.configureDaemon(interval: "4s")
        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady())
        let first = try #require(await daemon.waitForRun(), "log:\n\(daemon.log)")
        #expect(first.contains("52 changes, frozen: corp, next "))
        #expect(try demo.usersJSON().count == 52)
        let retried = await daemon.eventually(10) { daemon.log.contains("<6>run starting (retry): sources corp") }
        #expect(retried, "log:\n\(daemon.log)")
        #expect(daemon.log.contains("<4>source corp could not be read completely and froze: "))

        let metrics = try PrometheusSamples(String(contentsOf: demo.metricsFile, encoding: .utf8))
        #expect(metrics.value("roster_source_up", ["source": "corp"]) == 0)
        #expect(metrics.value("roster_source_up", ["source": "demo"]) == 1)
        #expect(metrics.value("roster_run_exit_code") == 4)
        let status = try demo.run(["status"])
        #expect(status.stdout.contains("corp    FAILING"), "\(status.stdout)")
        #expect(status.stdout.contains("demo    healthy"))
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 10) == 0)
    }

    @Test func aSafetyLimitStopsTheDaemonsRunUntilAnAdminForcesItOnce() async throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.configureDaemon(interval: "1h")
        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady())
        #expect(await daemon.waitForRun() != nil)

        var text = try demo.readLDIF()
        // 6 of 52 managed users is above 10% (5 allowed).
        for uid in ["aaron.abbott", "beatriz.baptiste", "chidi.cole", "dana.dunn", "elif.eriksen", "farid.ford"] {
            text = demo.removingEntry("uid=\(uid)", from: text)
        }
        try demo.writeLDIF(text)
        let seen = daemon.notify.all.count
        let aborted = try demo.run(["reconcile", "--now"])
        #expect(aborted.exitCode == 3)
        #expect(aborted.stdout.contains("max_deactivations"))
        #expect(await daemon.waitForRun(after: seen)?.contains("aborted by a safety limit") == true)
        #expect(daemon.log.contains("<3>run ") && daemon.log.contains("aborted"))
        #expect(try demo.usersJSON().allSatisfy { $0["status"] as? String == "active" })

        let forced = try demo.run(["reconcile", "--now", "--force"])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(try demo.usersJSON().filter { $0["status"] as? String == "inactive" }.count == 6)
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 10) == 0)
    }

    static func sha256(of file: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.split(separator: " ").first.map(String.init)
    }
}

import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM in the middle of a large run: the daemon stops within seconds and the run is either
/// applied whole or not at all (SPEC §7), with an intact audit chain.
@Suite(.serialized)
struct DaemonStopEndToEndTests {
    static let people = 10_000

    private func count(_ sql: String, _ demo: DemoWorkspace) throws -> Int {
        guard FileManager.default.fileExists(atPath: demo.database.path) else { return 0 }
        return Int(try RawSQLite.scalar(sql, on: demo.database.path) ?? "0") ?? 0
    }

    /// Shares of a dry run's time: a real run also applies, taking about twice as long, so the
    /// later signals tend to land in the apply and the earlier ones in the read or the plan.
    @Test(arguments: [0.5, 1.1, 1.4, 1.7])
    func sigtermDuringALargeRunExitsCleanlyAndLeavesTheDirectoryWholeOrUntouched(atShareOfTheRun share: Double)
        async throws
    {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.writeLDIF(LargeDirectory.ldif(users: Self.people, groups: 200))
        try demo.configureDaemon(interval: "1h")

        // How long a run takes here, measured by a dry run: the signal aims at a share of it.
        let measured = Date()
        #expect(try demo.run(["reconcile", "--dry-run"]).exitCode == 0)
        let runTime = Date().timeIntervalSince(measured)

        let daemon = try DaemonProcess(demo)
        defer { daemon.terminate() }
        #expect(await daemon.waitUntilReady(timeout: 60), "log:\n\(daemon.log)")
        try await Task.sleep(for: .milliseconds(Int(runTime * share * 1000)))
        let signalled = Date()
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit(timeout: 10)
        let latency = daemon.secondsToExit(since: signalled) ?? Date().timeIntervalSince(signalled)
        print(
            "daemon stop latency at \(Int(share * 100))% of a \(String(format: "%.2f", runTime)) s run: "
                + String(format: "%.3f", latency) + " s")
        #expect(status == 0, "no clean exit within 10 s; log:\n\(daemon.log)")

        let users = try count("SELECT count(*) FROM users", demo)
        let creates = try count("SELECT count(*) FROM audit WHERE action = 'user.create'", demo)
        #expect(users == 0 || users == Self.people, "half-applied: \(users) users; log:\n\(daemon.log)")
        #expect(creates == users, "directory and audit log disagree: \(users) users, \(creates) user.create")
        let verify = try demo.run(["audit", "verify"])
        #expect(verify.exitCode == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(daemon.log.contains("stopping on SIGTERM"))
        let phase =
            daemon.log.contains("waiting for the apply under way")
            ? "during the apply"
            : users == Self.people ? "after the run" : "before the apply"
        print("  the signal landed \(phase); \(users) users in the directory")
    }
}

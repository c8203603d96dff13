import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` of a reconcile at any moment leaves the directory fully before or fully after the
/// run, with a valid audit chain (SPEC §4.6).
struct CrashSafetyEndToEndTests {
    static let people = 10_000

    private func count(_ sql: String, _ demo: DemoWorkspace) throws -> Int {
        guard FileManager.default.fileExists(atPath: demo.database.path) else { return 0 }
        return Int(try RawSQLite.scalar(sql, on: demo.database.path) ?? "0") ?? 0
    }

    /// Each attempt is a first sync of 10,000 people into an empty directory, which writes
    /// through a rollback journal instead of the WAL: the journal exists while the apply's
    /// transaction is open, and stays, hot, after a kill. (The WAL holds the new file's schema
    /// before that, so its size says nothing about the apply.)
    private func hasJournal(_ demo: DemoWorkspace) -> Bool {
        FileManager.default.fileExists(atPath: demo.database.path + "-journal")
    }

    @Test func killDuringApplyLeavesTheDirectoryBeforeOrAfter() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.writeLDIF(LargeDirectory.ldif(users: Self.people, groups: 200))

        // How long reading and planning take on this machine: the kills aim just past it.
        let started = Date()
        let dryRun = try demo.run(["reconcile", "--dry-run"])
        #expect(dryRun.exitCode == 0, "\(dryRun.stderr)")
        let planning = Date().timeIntervalSince(started)

        var killedMidTransaction = 0
        var completed = false
        var delay = planning * 0.9
        for _ in 0..<30 where !completed {
            let process = try demo.roster.start(["--config", demo.config.path, "reconcile"])
            usleep(useconds_t(delay * 1_000_000))
            let wasRunning = process.isRunning
            if wasRunning { kill(process.processIdentifier, SIGKILL) }
            let outcome = try demo.roster.finish(process)
            let journalAfterKill = hasJournal(demo)

            let users = try count("SELECT count(*) FROM users", demo)
            let creates = try count("SELECT count(*) FROM audit WHERE action = 'user.create'", demo)
            #expect(users == 0 || users == Self.people, "half-applied: \(users) users after kill at \(delay) s")
            #expect(creates == users, "directory and audit log disagree: \(users) users, \(creates) user.create")
            let verify = try demo.run(["audit", "verify"])
            #expect(verify.exitCode == 0, "\(verify.stderr)")

            if users == Self.people {
                completed = true
                #expect(!wasRunning || outcome.exitCode == 0 || process.terminationReason == .uncaughtSignal)
            } else if wasRunning && journalAfterKill {
                // The apply's transaction was open: the kill landed mid-apply.
                killedMidTransaction += 1
            }
            delay += max(planning * 0.15, 0.05)
        }
        // Timed kills can all miss the transaction on a loaded machine (or a fast apply): then
        // start from an empty directory again and kill as soon as the apply's journal appears.
        for _ in 0..<10 where killedMidTransaction == 0 {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: demo.database.path + suffix)
            }
            try killOnceApplying(demo, killed: &killedMidTransaction)
        }
        // However the kills fell, a last run completes the work.
        let final = try demo.run(["reconcile"])
        #expect(final.exitCode == 0)
        #expect(try count("SELECT count(*) FROM users", demo) == Self.people)
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
        #expect(killedMidTransaction > 0, "no kill landed inside the apply transaction; the test proved nothing")
    }

    /// Starts a reconcile and kills it the moment its apply's journal appears.
    private func killOnceApplying(_ demo: DemoWorkspace, killed: inout Int) throws {
        let process = try demo.roster.start(["--config", demo.config.path, "reconcile"])
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, !hasJournal(demo), Date() < deadline { usleep(200) }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        _ = try demo.roster.finish(process)
        let journalAfterKill = hasJournal(demo)
        let users = try count("SELECT count(*) FROM users", demo)
        let creates = try count("SELECT count(*) FROM audit WHERE action = 'user.create'", demo)
        #expect(users == 0 || users == Self.people, "half-applied: \(users) users after a kill mid-apply")
        #expect(creates == users, "directory and audit log disagree: \(users) users, \(creates) user.create")
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
        if wasRunning && journalAfterKill && users == 0 { killed += 1 }
    }
}

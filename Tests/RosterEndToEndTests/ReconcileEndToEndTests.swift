import Foundation
import Testing

/// The built `roster` binary on temp copies of the demo (config/demo), as an admin runs it.
@Suite(.serialized)
struct ReconcileEndToEndTests {
    /// People of the demo that the mappings bring into scope with a valid, unique email.
    static let expectedCount = 52

    private func user(_ email: String, in users: [[String: Any]]) -> [String: Any]? {
        users.first { ($0["email"] as? String) == email }
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        let outcome = try demo.run(["reconcile", "--dry-run"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("demo: 60 users, 17 groups"))
        #expect(outcome.stdout.contains("+ create      alice@example.com"))
        #expect(outcome.stdout.contains("alice ← cn=ml-core ← cn=ml-admins") == false)  // chains are in JSON and audit
        #expect(
            outcome.stdout.contains("\(Self.expectedCount) created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted")
        )
        // Nothing written: no directory file, and read-only commands say so rather than show an empty one.
        #expect(!FileManager.default.fileExists(atPath: demo.database.path))
        #expect(!FileManager.default.fileExists(atPath: demo.database.deletingLastPathComponent().path))
        let list = try demo.run(["users", "list"])
        #expect(list.exitCode == 1)
        #expect(list.stderr.contains("run roster reconcile first"))

        let pending = try demo.run(["reconcile", "--dry-run", "--exit-code"])
        #expect(pending.exitCode == 5)
        let json = try demo.run(["reconcile", "--dry-run", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let changes = try #require(document["changes"] as? [[String: Any]])
        let alice = try #require(
            changes.first { (($0["user"] as? [String: Any])?["email"] as? String) == "alice@example.com" })
        #expect(
            (alice["chains"] as? [String])?.contains("alice ← cn=ml-core ← cn=ml-admins → mapping ml-admins") == true)
    }

    @Test func applyCreatesExactlyTheExpectedDirectoryAndASecondRunPlansNothing() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        let first = try demo.run(["reconcile"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let users = try demo.usersJSON()
        #expect(users.count == Self.expectedCount)
        for absent in ["erin", "frank", "heidi", "trent", "dave", "mallory", "svc-backup", "svc-ci"] {
            #expect(!users.contains { ($0["username"] as? String) == absent }, "\(absent) must not be created")
        }

        let alice = try #require(user("alice@example.com", in: users))
        #expect(alice["type"] as? String == "admin")
        #expect(alice["roles"] as? [String] == ["admin", "no-export", "viewer"])
        #expect(alice["status"] as? String == "active")
        #expect(alice["origin"] as? String == "demo")
        let origins = (alice["assignments"] as? [[String: Any]] ?? []).compactMap { $0["origin"] as? String }
        #expect(origins.contains("mapping:ml-admins@demo") && origins.contains("mapping:defaults@demo"))

        let judy = try #require(user("judy@example.com", in: users))
        #expect(judy["type"] as? String == "admin")  // through ml-interns → ml-core → ml-admins
        let carol = try #require(user("carol@example.com", in: users))
        let carolGroups = (carol["groups"] as? [[String: String]]) ?? []
        #expect(carolGroups.contains(["name": "ml", "role": "admin"]))
        let peggy = try #require(user("peggy@example.com", in: users))
        #expect((peggy["projects"] as? [[String: String]]) == [["name": "vision", "role": "owner"]])
        let oscar = try #require(user("oscar@example.com", in: users))
        #expect(((oscar["groups"] as? [[String: String]]) ?? []).map { $0["name"]! } == ["cycle-a", "cycle-b"])
        let zoe = try #require(user("zoe@example.com", in: users))
        #expect(zoe["first_name"] as? String == "Zoë")
        #expect((zoe["roles"] as? [String])?.contains("analyst") == true)  // cn=Data\, Team
        let rosa = try #require(user("rosa@example.com", in: users))
        #expect((rosa["roles"] as? [String])?.contains("editor") == true)  // departmentNumber 4711

        let second = try demo.run(["reconcile"])
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
        #expect(try demo.run(["reconcile", "--dry-run", "--exit-code"]).exitCode == 0)
        #expect(try demo.usersJSON().count == Self.expectedCount)
    }

    @Test func removedPersonIsDeactivatedAndOnReturnReactivatedWithTheSameID() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.run(["reconcile"])
        let original = try demo.readLDIF()
        let id = try #require(user("bruno.costa@example.com", in: try demo.usersJSON())?["id"] as? String)

        try demo.writeLDIF(demo.removingEntry("uid=bruno.costa", from: original))
        let gone = try demo.run(["reconcile"])
        #expect(gone.exitCode == 0, "\(gone.stderr)")
        #expect(gone.stdout.contains("- deactivate  bruno.costa@example.com"))
        #expect(gone.stdout.contains("0 created, 0 updated, 1 deactivated, 0 reactivated, 0 deleted"))
        #expect(user("bruno.costa@example.com", in: try demo.usersJSON())?["status"] as? String == "inactive")

        try demo.writeLDIF(original)
        let back = try demo.run(["reconcile"])
        #expect(back.stdout.contains("+ reactivate  bruno.costa@example.com"))
        let returned = try #require(user("bruno.costa@example.com", in: try demo.usersJSON()))
        #expect(returned["id"] as? String == id)
        #expect(returned["status"] as? String == "active")
        #expect(try demo.usersJSON().count == Self.expectedCount)
    }

    @Test func safetyLimitBreachExits3AndChangesNothingUntilForced() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.run(["reconcile"])
        var text = try demo.readLDIF()
        // 6 of 52 managed users is above 10% (5 allowed).
        for uid in ["aaron.abbott", "beatriz.baptiste", "chidi.cole", "dana.dunn", "elif.eriksen", "farid.ford"] {
            text = demo.removingEntry("uid=\(uid)", from: text)
        }
        try demo.writeLDIF(text)
        let aborted = try demo.run(["reconcile"])
        #expect(aborted.exitCode == 3)
        #expect(aborted.stdout.contains("max_deactivations"))
        #expect(try demo.usersJSON().allSatisfy { $0["status"] as? String == "active" })
        let abortRecords = try demo.run(["audit", "list", "--action", "run.abort", "--format", "json"])
        #expect(abortRecords.stdout.contains("\"run.abort\""))
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)

        let forced = try demo.run(["reconcile", "--force"])
        #expect(forced.exitCode == 0)
        #expect(try demo.usersJSON().filter { $0["status"] as? String == "inactive" }.count == 6)
    }

    @Test func unreadableSourceFreezesExits4AndDeactivatesNobody() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.run(["reconcile"])
        let original = try demo.readLDIF()
        // Cut the file in the middle of an entry: a broken export must never read as "people left".
        try demo.writeLDIF(String(original.prefix(original.count / 2)) + "\nnot an ldif line\n")
        let broken = try demo.run(["reconcile"])
        #expect(broken.exitCode == 4)
        #expect(broken.stdout.contains("frozen"))
        #expect(try demo.usersJSON().allSatisfy { $0["status"] as? String == "active" })
        try FileManager.default.removeItem(at: demo.ldif)
        #expect(try demo.run(["reconcile"]).exitCode == 4)
        #expect(try demo.usersJSON().allSatisfy { $0["status"] as? String == "active" })
    }

    @Test func auditVerifyPassesThenNamesTheTamperedRecord() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        try demo.run(["reconcile"])
        let valid = try demo.run(["audit", "verify"])
        #expect(valid.exitCode == 0)
        #expect(valid.stdout.contains("valid"))
        let mirrorLines = try String(contentsOf: demo.auditMirror, encoding: .utf8).split(separator: "\n")
        #expect(mirrorLines.count == Self.expectedCount + 3)  // run.start, config.load, creates, run.finish

        try RawSQLite.execute(
            "UPDATE audit SET document = replace(document, 'alice@example.com', 'mallory@example.com') "
                + "WHERE seq = (SELECT seq FROM audit WHERE document LIKE '%alice@example.com%' LIMIT 1)",
            on: demo.database.path)
        let seq = try #require(
            try RawSQLite.scalar(
                "SELECT seq FROM audit WHERE document LIKE '%mallory@example.com%'", on: demo.database.path))
        let broken = try demo.run(["audit", "verify"])
        #expect(broken.exitCode != 0)
        #expect(broken.stderr.contains("seq \(seq)"))
    }
}

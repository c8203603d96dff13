import Foundation
import RosterTestSupport
import Testing

/// Edits and status changes through the built binary, next to sync (SPEC §4.4, §5).
@Suite(.serialized)
struct UserChangesEndToEndTests {
    @Test func editsALocalUserAndRefusesSourceOwnedFieldsAndInactiveUsers() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        #expect(try demo.run(["users", "create", "--email", "temp@example.com", "--first", "Tem"]).exitCode == 0)
        let edited = try demo.run(
            ["users", "edit", "temp@example.com", "--email", "tess@example.com", "--first", "Tess", "--type", "admin"])
        #expect(edited.exitCode == 0, "\(edited.stderr)")
        #expect(edited.stdout.contains("updated tess@example.com: email, first_name, type"))
        let tess = try demo.user("tess@example.com")
        #expect(tess["first_name"] as? String == "Tess" && tess["type"] as? String == "admin")
        #expect(try demo.run(["users", "create", "--email", "temp@example.com"]).exitCode == 0)  // freed

        let name = try demo.run(["users", "edit", "alice", "--last", "Smith"])
        #expect(name.exitCode == 1)
        #expect(name.stderr.contains("comes from source demo (mapping sources.demo.users.attributes.last_name: sn)"))
        let type = try demo.run(["users", "edit", "alice", "--type", "user"])
        #expect(type.exitCode == 1)
        #expect(type.stderr.contains("mapping:ml-admins@demo") && type.stderr.contains("mapping:defaults@demo"))
        let invalid = try demo.run(["users", "edit", "tess@example.com", "--email", "tess@"])
        #expect(invalid.exitCode == 2)
        let taken = try demo.run(["users", "edit", "tess@example.com", "--email", "Bob@Example.com"])
        #expect(taken.exitCode == 1)
        #expect(taken.stderr.contains("already used"))

        #expect(try demo.run(["users", "deactivate", "tess@example.com"]).exitCode == 0)
        let inactive = try demo.run(["users", "edit", "tess@example.com", "--first", "T"])
        #expect(inactive.exitCode == 1)
        #expect(inactive.stderr.contains("tess@example.com is inactive: activate it first"))
        let nobody = try demo.run(["users", "edit", "nobody", "--first", "N"])
        #expect(nobody.exitCode == 1)
        #expect(nobody.stderr.contains("no user \"nobody\""))
        #expect(try demo.run(["users", "edit", "tess@example.com"]).exitCode == 2)
    }

    @Test func bulkChangesAreAllOrNothingInOneTransaction() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let before = try RawSQLite.scalar("SELECT count(*) FROM audit", on: demo.database.path)
        let typo = try demo.run(["users", "deactivate", "alice", "bob", "carlo", "zoe"])
        #expect(typo.exitCode == 1)
        #expect(typo.stderr.contains("no user \"carlo\": nothing was changed"))
        #expect(try RawSQLite.scalar("SELECT count(*) FROM audit", on: demo.database.path) == before)
        #expect(try demo.user("alice")["status"] as? String == "active")

        let bulk = try demo.run(["users", "deactivate", "alice", "bob", "zoe@example.com"])
        #expect(bulk.exitCode == 0, "\(bulk.stderr)")
        let records = try demo.auditRecords(action: "user.deactivate")
        #expect(records.count == 3)
        #expect(Set(records.compactMap { $0["time"] as? String }).count == 1)  // one transaction, one time
        #expect(records.allSatisfy { $0["actor"] as? String == DemoWorkspace.cliActor })
        #expect(records.allSatisfy { ($0["changes"] as? [String: Any])?["deactivated_by"] != nil })
        #expect(try demo.run(["users", "activate", "alice", "bob", "zoe"]).exitCode == 0)
        #expect(try demo.usersJSON().allSatisfy { $0["status"] as? String == "active" })
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func anAdminsDeactivationSurvivesReconcileUntilActivated() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        #expect(try demo.run(["users", "deactivate", "carol"]).exitCode == 0)
        #expect(try demo.user("carol")["deactivated_by"] as? String == "admin")
        let sync = try demo.run(["reconcile"])
        #expect(sync.exitCode == 0)
        #expect(!sync.stdout.contains("reactivate  carol@example.com"))
        #expect(try demo.user("carol")["status"] as? String == "inactive")

        // A user sync deactivated (gone from the source) is taken over by an admin's deactivation:
        // when the person returns, it stays inactive.
        let original = try demo.readLDIF()
        try demo.writeLDIF(demo.removingEntry("uid=bruno.costa", from: original))
        #expect(try demo.run(["reconcile"]).exitCode == 0)
        #expect(try demo.user("bruno.costa")["deactivated_by"] as? String == "sync")
        let takeover = try demo.run(["users", "deactivate", "bruno.costa", "carol"])
        #expect(takeover.stdout.contains("bruno.costa@example.com was inactive (by sync)"))
        #expect(takeover.stdout.contains("carol@example.com is already inactive"))
        try demo.writeLDIF(original)
        let back = try demo.run(["reconcile"])
        #expect(!back.stdout.contains("+ reactivate"))
        #expect(try demo.user("bruno.costa")["status"] as? String == "inactive")

        #expect(try demo.run(["users", "activate", "carol", "bruno.costa"]).exitCode == 0)
        #expect(try demo.user("carol")["status"] as? String == "active")
        let quiet = try demo.run(["reconcile"])
        #expect(quiet.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
        #expect(try demo.user("bruno.costa")["status"] as? String == "active")
    }

    @Test func deleteAsksAndRefusesWithoutATerminalThenMakesTombstones() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        #expect(
            try demo.run(["users", "create", "--email", "leaver@example.com", "--username", "leaver"]).exitCode == 0)
        let leaver = try #require(try demo.user("leaver")["id"] as? String)
        // Stdin is a pipe here, as in a script: without --yes there is nobody to confirm.
        let refused = try demo.run(["users", "delete", "leaver", "judy"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("stdin is not a terminal, so add --yes"))
        #expect(try demo.user("leaver")["status"] as? String == "active")

        let deleted = try demo.run(["users", "delete", "leaver", "judy", "--yes"])
        #expect(deleted.exitCode == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("synced from demo"))
        let tombstone = try demo.user(leaver)
        #expect(tombstone["status"] as? String == "deleted")
        #expect(tombstone["email"] as? String == "" && tombstone["username"] as? String == "")
        #expect(tombstone["first_name"] as? String == "Deleted User")
        #expect((tombstone["assignments"] as? [Any])?.isEmpty == true)
        let table = try demo.run(["users", "list", "--status", "deleted"])
        #expect(table.stdout.contains("Deleted User"))
        #expect(table.stdout.hasSuffix("1–2 of 2\n"))
        let records = try demo.auditRecords(action: "user.delete")
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0["actor"] as? String == DemoWorkspace.cliActor })

        // The email is free again: a new account gets a new id and inherits nothing.
        let again = try demo.run(["users", "create", "--email", "leaver@example.com"])
        #expect(again.exitCode == 0)
        #expect(try demo.user("leaver@example.com")["id"] as? String != leaver)
        // judy is still selected by a mapping: sync creates a new account for her.
        let sync = try demo.run(["reconcile"])
        #expect(sync.stdout.contains("+ create      judy@example.com"))
        #expect(try demo.run(["users", "delete", leaver, "--yes"]).stdout.contains("already deleted"))
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }

    /// `script` gives the binary a terminal as stdin, as an admin at a shell has.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func deleteOnATerminalAsksAndDeletesOnlyOnYes() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        func onTerminal(_ arguments: [String], answer: String) throws -> RosterBinary.Outcome {
            let words = [RosterBinary.url.path, "--config", demo.config.path] + arguments
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", words.map { "'\($0)'" }.joined(separator: " "), "/dev/null"]
            process.currentDirectoryURL = demo.root
            process.standardInput = Pipe()
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            return try demo.roster.finish(process, stdin: answer)
        }
        let declined = try onTerminal(["users", "delete", "olivia", "bob"], answer: "n\n")
        #expect(declined.exitCode == 1)
        #expect(declined.stdout.contains("Delete 2 user(s): olivia@example.com, bob@example.com?"))
        #expect(declined.stdout.contains("nothing was deleted"))
        #expect(try demo.user("olivia")["status"] as? String == "active")
        let confirmed = try onTerminal(["users", "delete", "olivia"], answer: "y\n")
        #expect(confirmed.exitCode == 0, "\(confirmed.stdout)")
        #expect(try demo.run(["users", "show", "olivia"]).exitCode == 1)
    }
}

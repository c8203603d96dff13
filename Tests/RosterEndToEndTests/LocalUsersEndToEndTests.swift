import Foundation
import Testing

/// Local accounts through the built binary: create, passwords, and the refusals (SPEC §5).
@Suite(.serialized)
struct LocalUsersEndToEndTests {
    @Test func createBeforeAnySyncThenCheckAndResetThePassword() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        // A first local account (a breakglass admin) needs no reconcile before it.
        let created = try demo.run(
            [
                "users", "create", "--email", "Ops@Example.com", "--first", "Olga", "--last", "Ops", "--type", "admin",
                "--password-stdin", "--temporary",
            ], stdin: "first-secret\n")
        #expect(created.exitCode == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created user 1 Ops@Example.com (admin) with a temporary password"))
        let ops = try demo.user("ops@example.com")
        #expect(ops["origin"] as? String == "local")
        #expect(ops["username"] as? String == "Ops@Example.com")
        #expect(ops["must_change_password"] as? Bool == true)
        #expect(ops["type"] as? String == "admin")

        let match = try demo.run(["users", "check-password", "ops@example.com"], stdin: "first-secret\n")
        #expect(match.exitCode == 0, "\(match.stderr)")
        #expect(match.stdout.contains("must be changed"))
        let wrong = try demo.run(["users", "check-password", "ops@example.com"], stdin: "first-secreT")
        #expect(wrong.exitCode == 1)
        #expect(wrong.stderr.contains("wrong password"))
        let json = try demo.run(["users", "check-password", "1", "--format", "json"], stdin: "first-secret")
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(verdict["match"] as? Bool == true)
        #expect(verdict["must_change_password"] as? Bool == true)

        let file = demo.root.appendingPathComponent("new-password")
        try "second-secret\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let loose = try demo.run(["users", "reset-password", "ops@example.com", "--password-file", file.path])
        #expect(loose.exitCode == 2)
        #expect(loose.stderr.contains("chmod 600"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let reset = try demo.run(["users", "reset-password", "ops@example.com", "--password-file", file.path])
        #expect(reset.exitCode == 0, "\(reset.stderr)")
        #expect(try demo.run(["users", "check-password", "ops"], stdin: "first-secret").exitCode == 1)
        #expect(try demo.run(["users", "check-password", "Ops@Example.com"], stdin: "second-secret").exitCode == 0)
        #expect(try demo.user("1")["must_change_password"] as? Bool == false)

        // The hash is stored as a scrypt PHC string, and no password ever reaches the audit log.
        let hash = try RawSQLite.scalar("SELECT password_hash FROM users WHERE id = 1", on: demo.database.path)
        #expect(hash?.hasPrefix("$scrypt$ln=15,r=8,p=1$") == true)
        let log = try String(contentsOf: demo.auditMirror, encoding: .utf8)
        #expect(!log.contains("secret") && !log.contains("$scrypt$"))
        let passwords = try demo.auditRecords(action: "user.password")
        #expect(passwords.count == 2)
        #expect(passwords.allSatisfy { $0["actor"] as? String == DemoWorkspace.cliActor })
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func invalidAndDuplicateEmailsAreRefused() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let invalid = try demo.run(["users", "create", "--email", "frank.fischer.example.com"])
        #expect(invalid.exitCode == 2)
        #expect(invalid.stderr.contains("invalid email address \"frank.fischer.example.com\""))
        // Unique among users that are not deleted, compared case-insensitively.
        let duplicate = try demo.run(["users", "create", "--email", "ALICE@example.COM"])
        #expect(duplicate.exitCode == 1)
        #expect(duplicate.stderr.contains("email ALICE@example.COM is already used by user"))
        let username = try demo.run(["users", "create", "--email", "new@example.com", "--username", "Alice"])
        #expect(username.exitCode == 1)
        #expect(username.stderr.contains("username Alice is already used"))
        #expect(try demo.usersJSON().count == ReconcileEndToEndTests.expectedCount)
    }

    @Test func passwordsNeverComeFromArgumentsAndShortOnesAreRefused() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let argument = try demo.run(["users", "create", "--email", "x@example.com", "--password", "hunter22"])
        #expect(argument.exitCode == 2)
        let short = try demo.run(
            ["users", "create", "--email", "x@example.com", "--password-stdin"], stdin: "short\n")
        #expect(short.exitCode == 2)
        #expect(short.stderr.contains("at least 8"))
        let missing = try demo.run(["users", "reset-password", "alice"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--password-stdin or --password-file"))
        let temporary = try demo.run(["users", "create", "--email", "x@example.com", "--temporary"])
        #expect(temporary.exitCode == 2)
        #expect(try demo.run(["users", "show", "x@example.com"]).exitCode == 1)
    }

    @Test func inactiveAndDeletedUsersNeverMatch() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        // A synced user may have a local password too (a breakglass account kept in LDAP).
        #expect(
            try demo.run(["users", "reset-password", "bob", "--password-stdin"], stdin: "bob-secret-1").exitCode == 0)
        #expect(try demo.run(["users", "check-password", "bob"], stdin: "bob-secret-1").exitCode == 0)
        #expect(try demo.run(["users", "deactivate", "bob"]).exitCode == 0)
        let inactive = try demo.run(["users", "check-password", "bob"], stdin: "bob-secret-1")
        #expect(inactive.exitCode == 1)
        #expect(inactive.stderr.contains("bob@example.com is inactive"))
        #expect(try demo.run(["users", "activate", "bob"]).exitCode == 0)
        #expect(try demo.run(["users", "check-password", "bob"], stdin: "bob-secret-1").exitCode == 0)
        let id = try #require(try demo.user("bob")["id"] as? String)
        #expect(try demo.run(["users", "delete", "bob", "--yes"]).exitCode == 0)
        #expect(try demo.run(["users", "check-password", id], stdin: "bob-secret-1").exitCode == 1)
        #expect(try demo.run(["users", "check-password", "nobody"], stdin: "bob-secret-1").exitCode == 1)
        #expect(try demo.run(["users", "check-password", "alice"], stdin: "no-password-set").exitCode == 1)
    }
}

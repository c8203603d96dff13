import Foundation
import RosterTestSupport
import Testing

/// RFC 4533 incremental reads through the built binary: after the same changes, a directory kept
/// by incremental runs equals one kept by full runs; a cookie the server cannot use falls back
/// to a full read. Once with a session log (delete phases) and once without (present phases).
struct IncrementalSyncTests {
    @Suite(.serialized, .slapd(syncprov: .init(sessionLog: 100)))
    struct WithSessionLog {
        @Test func incrementalRunsKeepTheSameDirectoryAsFullRuns() throws {
            try IncrementalSyncTests.sameDirectory(try SlapdServer.require())
        }

        @Test func aCookieTheServerRefusesFallsBackToAFullRead() throws {
            try IncrementalSyncTests.refusedCookie(try SlapdServer.require())
        }

        @Test func anEditOfCommentsAloneKeepsThePlanCheckpoint() throws {
            try IncrementalSyncTests.commentEdit(try SlapdServer.require())
        }

        @Test func aFullReadIsDueEveryFullSyncEvery() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(.init(urls: [server.url]))
            defer { workspace.remove() }
            let yaml = try String(contentsOf: workspace.config, encoding: .utf8)
            func fullSyncEvery(_ duration: String) throws {
                try (yaml + "daemon:\n  full_sync_every: \(duration)\n").write(
                    to: workspace.config, atomically: true, encoding: .utf8)
            }
            // Only "at least this long since the last full read" is timed, never "not yet that long":
            // a slow machine cannot make a run read in full early.
            try fullSyncEvery("6h")
            let first = try workspace.run(["reconcile"])
            try #require(first.exitCode == 0, "\(first.all)")
            #expect(try workspace.run(["reconcile"]).stdout.contains("incremental read in"))
            try fullSyncEvery("1s")
            Thread.sleep(forTimeInterval: 1.2)
            let due = try workspace.run(["reconcile"])
            #expect(due.exitCode == 0, "\(due.all)")
            #expect(due.stdout.contains("groups read in") && !due.stdout.contains("incremental"), "\(due.stdout)")
            // That full read restarted the clock.
            try fullSyncEvery("6h")
            #expect(try workspace.run(["reconcile"]).stdout.contains("incremental read in"))
        }
    }

    @Suite(.serialized, .slapd(syncprov: .init(sessionLog: nil)))
    struct WithoutSessionLog {
        @Test func incrementalRunsKeepTheSameDirectoryAsFullRuns() throws {
            try IncrementalSyncTests.sameDirectory(try SlapdServer.require())
        }
    }

    /// Three directories synced from the same server; after the changes one reads incrementally,
    /// one in full (`--full`), both planning only the people the changes touch, and the third in
    /// full after its settings changed, which makes it plan everyone: all end up the same.
    static func sameDirectory(_ server: SlapdServer) throws {
        let incremental = try LDAPWorkspace(.init(urls: [server.url]))
        let full = try LDAPWorkspace(.init(urls: [server.url]))
        let whole = try LDAPWorkspace(.init(urls: [server.url]))
        defer {
            incremental.remove()
            full.remove()
            whole.remove()
        }
        for workspace in [incremental, full, whole] {
            let first = try workspace.run(["reconcile"])
            try #require(first.exitCode == 0, "\(first.all)")
            #expect(first.stdout.contains("groups read in"), "\(first.stdout)")
            // What lets the next runs plan only the people their changes touch.
            #expect(try Self.checkpointHolds(workspace))
        }
        // Nothing changed: an incremental read that finds nothing, and nothing to do.
        let quiet = try incremental.run(["reconcile"])
        #expect(quiet.exitCode == 0, "\(quiet.all)")
        #expect(quiet.stdout.contains("incremental read in"), "\(quiet.stdout)")
        #expect(quiet.stdout.contains("0 users and 0 groups changed"), "\(quiet.stdout)")

        try server.modify(changes)
        defer { try? server.modify(undo) }

        let after = try incremental.run(["reconcile"])
        #expect(after.exitCode == 0, "\(after.all)")
        #expect(after.stdout.contains("incremental read in"), "\(after.stdout)")
        // Only the changed entries came over the wire, not the 2,608 users.
        let changedUsers = try #require(Self.number(before: " users and ", in: after.stdout))
        #expect(changedUsers > 0 && changedUsers < 10, "\(after.stdout)")
        #expect(try Self.checkpointHolds(incremental))
        let fullAfter = try full.run(["reconcile", "--full"])
        #expect(fullAfter.exitCode == 0, "\(fullAfter.all)")
        #expect(!fullAfter.stdout.contains("incremental"), "\(fullAfter.stdout)")
        #expect(try Self.checkpointHolds(full))
        #expect(try Self.digest(incremental) == Self.digest(full))
        // Other settings (any, even one no plan reads): nothing the last plan assumed holds.
        try Self.append("daemon:\n  full_sync_every: 6h\n", to: whole)
        let wholeAfter = try whole.run(["reconcile", "--full"])
        #expect(wholeAfter.exitCode == 0, "\(wholeAfter.all)")
        #expect(try Self.digest(incremental) == Self.digest(whole))

        // What the changes did, as seen through the incremental directory.
        #expect(try incremental.user("newcomer")?["status"] as? String == "active")
        #expect(try incremental.user("user0007")?["status"] as? String == "inactive")  // deleted
        #expect(try incremental.user("user0008")?["first_name"] as? String == "Renamed")
        #expect(try incremental.user("user0009.moved") != nil)  // modrdn
        #expect(try incremental.user("user0010")?["type"] as? String == "admin")  // joined ml-interns
        // cycle-b joined Data, Team: oscar and peggy (cycle-a ⇄ cycle-b) became analysts.
        #expect((try incremental.user("oscar")?["roles"] as? [String])?.contains("analyst") == true)

        // Users alone change: the incremental run plans them with only their own groups (and
        // those holding them) loaded, and must still find every grant the nested groups give.
        try server.modify(userOnlyChanges)
        defer { try? server.modify(userOnlyUndo) }
        let usersOnly = try incremental.run(["reconcile"])
        #expect(usersOnly.exitCode == 0, "\(usersOnly.all)")
        #expect(usersOnly.stdout.contains("2 users and 0 groups changed"), "\(usersOnly.stdout)")
        #expect(usersOnly.stdout.contains("0 created, 2 updated, 0 deactivated"), "\(usersOnly.stdout)")
        let fullUsersOnly = try full.run(["reconcile", "--full"])
        #expect(fullUsersOnly.exitCode == 0, "\(fullUsersOnly.all)")
        #expect(try Self.digest(incremental) == Self.digest(full))
        let user0010 = try incremental.user("user0010")
        #expect(user0010?["first_name"] as? String == "Promoted" && user0010?["type"] as? String == "admin")
        #expect((try incremental.user("oscar")?["roles"] as? [String])?.contains("analyst") == true)
    }

    /// Comments and layout are not settings: after an edit of them alone the next run still
    /// plans only the people its changes touch (the checkpoint's digest of the settings is the
    /// same), while `config.load` audits the new bytes. Any setting changes the digest.
    static func commentEdit(_ server: SlapdServer) throws {
        let workspace = try LDAPWorkspace(.init(urls: [server.url]))
        defer { workspace.remove() }
        let first = try workspace.run(["reconcile"])
        try #require(first.exitCode == 0, "\(first.all)")
        let planned = try Self.checkpointDigest(workspace)
        #expect(try Self.configLoads(workspace) == 1)

        let yaml = try String(contentsOf: workspace.config, encoding: .utf8)
        let reworded =
            "# Roster for the test directory\n" + yaml.replacingOccurrences(of: "\nroles:", with: "\n\n# Roles\nroles:")
        try reworded.write(to: workspace.config, atomically: true, encoding: .utf8)
        let afterComments = try workspace.run(["reconcile"])
        #expect(afterComments.exitCode == 0, "\(afterComments.all)")
        #expect(try Self.checkpointDigest(workspace) == planned)
        #expect(try Self.checkpointHolds(workspace))
        #expect(try Self.configLoads(workspace) == 2)

        try Self.append("daemon:\n  full_sync_every: 6h\n", to: workspace)
        let afterSetting = try workspace.run(["reconcile"])
        #expect(afterSetting.exitCode == 0, "\(afterSetting.all)")
        let replanned = try Self.checkpointDigest(workspace)
        #expect(replanned != nil && replanned != planned)
        #expect(try Self.configLoads(workspace) == 3)
    }

    static func append(_ text: String, to workspace: LDAPWorkspace) throws {
        let handle = try FileHandle(forWritingTo: workspace.config)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The configuration digest the directory's plan checkpoint records, if it has one.
    static func checkpointDigest(_ workspace: LDAPWorkspace) throws -> String? {
        let output = try Self.sqlite(workspace, "SELECT config_sha256 FROM plan_checkpoint WHERE id = 1")
        return output.isEmpty ? nil : output
    }

    static func configLoads(_ workspace: LDAPWorkspace) throws -> Int? {
        Int(try Self.sqlite(workspace, "SELECT count(*) FROM audit WHERE action = 'config.load'"))
    }

    /// The first column of the first row `query` gives, as text ("" for none).
    static func sqlite(_ workspace: LDAPWorkspace, _ query: String) throws -> String {
        let python = """
            import sqlite3, sys
            row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
            print("" if row is None else row[0])
            """
        return try ExternalTool("/usr/bin/python3").succeed(["-c", python, workspace.database.path, query])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func refusedCookie(_ server: SlapdServer) throws {
        let workspace = try LDAPWorkspace(.init(urls: [server.url]))
        defer { workspace.remove() }
        let first = try workspace.run(["reconcile"])
        try #require(first.exitCode == 0, "\(first.all)")
        // A cookie whose CSN is ahead of the server's (a restored server): slapd refuses it.
        let python = """
            import json, sqlite3, sys, base64
            db = sqlite3.connect(sys.argv[1])
            (value,) = db.execute("SELECT value FROM source_state WHERE source='corp' AND key='cookie'").fetchone()
            cookie = json.loads(value)
            parts = cookie["cookie"]["contentSync"]
            for key in ("users", "groups"):
                text = base64.b64decode(parts[key]).decode()
                parts[key] = base64.b64encode(text.replace("csn=20", "csn=29", 1).encode()).decode()
            db.execute("UPDATE source_state SET value=? WHERE source='corp' AND key='cookie'", (json.dumps(cookie),))
            db.commit()
            """
        _ = try ExternalTool("/usr/bin/python3").succeed(["-c", python, workspace.database.path])
        let outcome = try workspace.run(["reconcile"])
        #expect(outcome.exitCode == 0, "\(outcome.all)")
        #expect(outcome.all.contains("incremental read refused, read in full instead"), "\(outcome.all)")
        #expect(outcome.stdout.contains("0 created, 0 updated, 0 deactivated"), "\(outcome.stdout)")
        // The full read stored a fresh cookie: the next run is incremental again.
        let next = try workspace.run(["reconcile"])
        #expect(next.stdout.contains("incremental read in"), "\(next.all)")

        // Other settings (here a narrower users filter) would make the cached entries wrong.
        let yaml = try String(contentsOf: workspace.config, encoding: .utf8)
        try yaml.replacingOccurrences(
            of: "filter: (objectClass=inetOrgPerson)", with: "filter: (&(objectClass=inetOrgPerson)(!(uid=user0001)))"
        ).write(to: workspace.config, atomically: true, encoding: .utf8)
        let narrowed = try workspace.run(["reconcile"])
        #expect(narrowed.exitCode == 0, "\(narrowed.all)")
        #expect(narrowed.all.contains("settings (bases, filters, attributes) changed"), "\(narrowed.all)")
        #expect(narrowed.stdout.contains("0 created, 0 updated, 1 deactivated"), "\(narrowed.stdout)")
    }

    // MARK: - The changes

    static let people = TestDirectory.people
    static let groups = TestDirectory.groups

    /// An add, a modify, a rename, a delete, a membership change and a nested-group change.
    static let changes = """
        dn: uid=newcomer,\(people)
        changetype: add
        objectClass: inetOrgPerson
        uid: newcomer
        cn: New Comer
        givenName: New
        sn: Comer
        mail: newcomer@example.com

        dn: uid=user0008,\(people)
        changetype: modify
        replace: givenName
        givenName: Renamed

        dn: uid=user0009,\(people)
        changetype: modrdn
        newrdn: uid=user0009.moved
        deleteoldrdn: 1

        dn: uid=user0007,\(people)
        changetype: delete

        dn: cn=ml-interns,\(groups)
        changetype: modify
        add: member
        member: uid=user0010,\(people)

        dn: cn=Data\\, Team,\(groups)
        changetype: modify
        add: member
        member: cn=cycle-b,\(groups)

        """

    static let undo = """
        dn: uid=newcomer,\(people)
        changetype: delete

        dn: uid=user0008,\(people)
        changetype: modify
        replace: givenName
        givenName: User

        dn: uid=user0009.moved,\(people)
        changetype: modrdn
        newrdn: uid=user0009
        deleteoldrdn: 1

        dn: uid=user0007,\(people)
        changetype: add
        objectClass: inetOrgPerson
        uid: user0007
        cn: User Number 0007
        givenName: User
        sn: Number 0007
        mail: user0007@example.com

        dn: cn=ml-interns,\(groups)
        changetype: modify
        delete: member
        member: uid=user0010,\(people)

        dn: cn=Data\\, Team,\(groups)
        changetype: modify
        delete: member
        member: cn=cycle-b,\(groups)

        """

    /// Two users whose grants come through nested groups, changed in their own entries only.
    static let userOnlyChanges = givenNames(user0010: "Promoted", oscar: "Oz")
    static let userOnlyUndo = givenNames(user0010: "User", oscar: "Oscar")

    static func givenNames(user0010: String, oscar: String) -> String {
        """
        dn: uid=user0010,\(people)
        changetype: modify
        replace: givenName
        givenName: \(user0010)

        dn: uid=oscar,\(people)
        changetype: modify
        replace: givenName
        givenName: \(oscar)

        """
    }

    /// Every user as `users list` shows them, by username, without what differs between two
    /// directories by nature (ids, timestamps).
    static func digest(_ workspace: LDAPWorkspace) throws -> [String: String] {
        var digest: [String: String] = [:]
        for user in try workspace.users() {
            let name = user["username"] as? String ?? ""
            let fields = ["email", "first_name", "last_name", "type", "status", "origin"].map {
                "\(user[$0] ?? "")"
            }
            let roles = (user["roles"] as? [String] ?? []).sorted()
            let groups = (user["groups"] as? [[String: String]] ?? []).compactMap { $0["name"] }.sorted()
            digest[name] = (fields + roles + ["|"] + groups).joined(separator: ",")
        }
        return digest
    }

    /// Whether the directory's plan checkpoint names its last audit record (so the next run may
    /// plan only the people its changes touch). Planning everyone gives the same directory, so
    /// only this shows that the touched planning is still in use.
    static func checkpointHolds(_ workspace: LDAPWorkspace) throws -> Bool {
        let python = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            row = db.execute("SELECT audit_seq FROM plan_checkpoint WHERE id = 1").fetchone()
            (last,) = db.execute("SELECT max(seq) FROM audit").fetchone()
            print("holds" if row is not None and row[0] == last else "stale")
            """
        let output = try ExternalTool("/usr/bin/python3").succeed(["-c", python, workspace.database.path])
        return output.contains("holds")
    }

    /// The whole number right before `marker` in `text`.
    static func number(before marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}

import Foundation
import RosterTestSupport
import Testing

/// `roster reconcile` against a Samba AD DC with a configuration as an admin writes it: the
/// directory it builds, and incremental runs through DirSync once the account may use it.
@Suite(.sambaAvailable, .sambaDomainController, .timeLimit(.minutes(5)))
struct ActiveDirectorySyncTests {
    /// A folder with roster.yaml for the DC, the service account's password file and the store.
    struct Workspace {
        let root: URL
        let roster: RosterBinary

        init(_ dc: SambaDomainController) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-adsync-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            roster = RosterBinary(workingDirectory: root)
            let yaml = """
                directory:
                  path: \(root.path)/roster.db
                safety:
                  max_deactivations: 50%
                sources:
                  corp:
                    type: ldap
                    url: \(dc.ldapsURL)
                    bind_dn: \(dc.serviceAccount.userPrincipalName)
                    bind_password_file: \(dc.serviceAccount.passwordFile)
                    tls: {ca_file: \(dc.caFile)}
                    flavor: active-directory
                    range_size: 500
                    users:
                      base: "\(ADFixture.people)"
                    groups:
                      base: "\(ADFixture.baseDN)"
                      nested: true
                roles:
                  admin:  {privileges: {users: crud}}
                  staff:  {privileges: {projects: r}}
                  bulk:   {privileges: {jobs: r}}
                  science: {privileges: {data: r}}
                mappings:
                  - id: domain-users
                    source: corp
                    group_name: Domain Users
                    roles: [staff]
                  - id: admins
                    source: corp
                    group: "CN=platform-admins,\(ADFixture.groups)"
                    type: admin
                    roles: [admin]
                  - id: big
                    source: corp
                    group_name: big-2000
                    roles: [bulk]
                  - id: research
                    source: corp
                    group_name: research
                    roles: [science]

                """
            try yaml.write(to: root.appendingPathComponent("roster.yaml"), atomically: true, encoding: .utf8)
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> RosterBinary.Outcome {
            try roster.run(["--config", root.appendingPathComponent("roster.yaml").path] + arguments)
        }

        func user(_ name: String) throws -> [String: Any]? {
            let outcome = try run(["users", "show", name, "--format", "json"])
            guard outcome.exitCode == 0 else { return nil }
            return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func aSyncBuildsTheDirectoryAndDirSyncKeepsItCurrent() throws {
        let dc = try SambaDomainController.require()
        let workspace = try Workspace(dc)
        defer { workspace.remove() }

        let first = try workspace.run(["reconcile"])
        #expect(first.exitCode == 0, "\(first.all)")
        // 2,011 people: nina has no mail (skipped), dave, erin (disabled) and frank (expired) are
        // not created.
        #expect(first.stdout.contains("2007 created"), "\(first.stdout)")
        #expect(first.all.contains("incremental reads unavailable"), "\(first.all)")
        #expect(try workspace.user("dave") == nil)
        let alice = try #require(try workspace.user("alice"))
        #expect(alice["type"] as? String == "admin")
        #expect(Set(alice["roles"] as? [String] ?? []) == ["admin", "staff"])
        // Peggy's primary group is research; everyone else's is Domain Users.
        let peggy = try #require(try workspace.user("peggy"))
        #expect(Set(peggy["roles"] as? [String] ?? []) == ["science", "staff"])
        let bulk = try #require(try workspace.user("bulk1999"))
        #expect(Set(bulk["roles"] as? [String] ?? []) == ["bulk", "staff"])

        // With the right (and Samba's Domain Admins for tombstones), runs become incremental.
        try dc.sambaTool([
            "dsacl", "set", "--car=get-changes", "--action=allow", "--objectdn=\(ADFixture.baseDN)",
            "--trusteedn=\(ADFixture.serviceAccount.dn)",
        ])
        try dc.sambaTool(["group", "addmembers", "Domain Admins", ADFixture.serviceAccount.samAccountName])
        let full = try workspace.run(["reconcile", "--full"])
        #expect(full.exitCode == 0, "\(full.all)")
        #expect(!full.all.contains("incremental reads unavailable"), "\(full.all)")

        try dc.sambaTool(["group", "addmembers", ADFixture.mlCore.name, ADFixture.carol.samAccountName])
        try dc.sambaTool(["user", "disable", ADFixture.bob.samAccountName])
        try dc.sambaTool(["user", "delete", ADFixture.zoe.samAccountName])
        let incremental = try workspace.run(["reconcile"])
        #expect(incremental.exitCode == 0, "\(incremental.all)")
        #expect(incremental.stdout.contains("incremental read in"), "\(incremental.stdout)")
        #expect(incremental.stdout.contains("0 created, 1 updated, 2 deactivated"), "\(incremental.stdout)")
        #expect(try workspace.user("carol")?["type"] as? String == "admin")
        #expect(try workspace.user("bob")?["status"] as? String == "inactive")
        #expect(try workspace.user("zoe")?["status"] as? String == "inactive")

        // A full read over the same state changes nothing more.
        let check = try workspace.run(["reconcile", "--full"])
        #expect(check.stdout.contains("0 created, 0 updated, 0 deactivated"), "\(check.stdout)")

        // A cookie the DC cannot decode: refused, read in full, and the next run is incremental.
        let python = """
            import json, sqlite3, sys, base64
            db = sqlite3.connect(sys.argv[1])
            (value,) = db.execute("SELECT value FROM source_state WHERE source='corp' AND key='cookie'").fetchone()
            cookie = json.loads(value)
            cookie["cookie"]["dirSync"]["cookie"] = base64.b64encode(b"not a dirsync cookie").decode()
            db.execute("UPDATE source_state SET value=? WHERE source='corp' AND key='cookie'", (json.dumps(cookie),))
            db.commit()
            """
        _ = try ExternalTool("/usr/bin/python3").succeed(["-c", python, workspace.root.path + "/roster.db"])
        let refused = try workspace.run(["reconcile"])
        #expect(refused.exitCode == 0, "\(refused.all)")
        #expect(refused.all.contains("incremental read refused, read in full instead"), "\(refused.all)")
        #expect(refused.stdout.contains("0 created, 0 updated, 0 deactivated"), "\(refused.stdout)")
        let next = try workspace.run(["reconcile"])
        #expect(next.stdout.contains("incremental read in"), "\(next.stdout)")
    }
}

import Foundation
import Testing

/// Syncs after the directory changes: a rename, a deletion, and the server dying mid-read.
/// A slapd of its own, since these tests change it; each puts back what it changed.
@Suite(.serialized, .slapd)
struct LDAPChangeTests {
    /// A workspace whose directory already holds the first sync.
    private func synced(_ server: SlapdServer, pageSize: Int = 500) throws -> LDAPWorkspace {
        let workspace = try LDAPWorkspace(.init(urls: [server.url], pageSize: pageSize))
        let first = try workspace.run(["reconcile"])
        try #require(first.exitCode == 0, "\(first.all)")
        return workspace
    }

    @Test func aModRDNKeepsTheIDAndUpdatesTheUsername() throws {
        let server = try SlapdServer.require()
        let workspace = try synced(server)
        defer { workspace.remove() }
        let before = try #require(try workspace.user("peggy"))

        try server.modify(
            "dn: \(TestDirectory.dn("peggy"))\nchangetype: modrdn\nnewrdn: uid=peggy.parker\ndeleteoldrdn: 1\n")
        defer {
            try? server.modify(
                "dn: \(TestDirectory.dn("peggy.parker"))\nchangetype: modrdn\nnewrdn: uid=peggy\ndeleteoldrdn: 1\n")
        }
        let outcome = try workspace.run(["reconcile"])
        #expect(outcome.exitCode == 0, "\(outcome.all)")
        #expect(outcome.stdout.contains("0 created, 1 updated, 0 deactivated"), "\(outcome.stdout)")
        let after = try #require(try workspace.user("peggy.parker"))
        #expect(after["id"] as? Int == before["id"] as? Int)
        #expect(after["email"] as? String == "peggy@example.com")
        #expect(try workspace.user("peggy") == nil)
        let renames = try workspace.run(["audit", "list", "--action", "user.rename", "--format", "json"])
        #expect(renames.stdout.contains("peggy.parker"), "\(renames.all)")
    }

    @Test func aDeletedEntryIsDeactivated() throws {
        let server = try SlapdServer.require()
        let workspace = try synced(server)
        defer { workspace.remove() }
        let person = TestDirectory.generated(1234)

        try server.modify("dn: \(TestDirectory.dn(person.uid))\nchangetype: delete\n")
        defer {
            let entry = TestDirectory.entry(person).map(TestDirectory.line)
            try? server.modify(([entry[0], "changetype: add"] + entry.dropFirst()).joined(separator: "\n") + "\n")
        }
        let outcome = try workspace.run(["reconcile"])
        #expect(outcome.exitCode == 0, "\(outcome.all)")
        #expect(outcome.stdout.contains("- deactivate  \(person.mail)"))
        #expect(outcome.stdout.contains("0 created, 0 updated, 1 deactivated, 0 reactivated, 0 deleted"))
        #expect(try workspace.user(person.uid)?["status"] as? String == "inactive")
        #expect(
            try workspace.users().filter { $0["status"] as? String == "active" }.count == TestDirectory.activeCount - 1)
    }

    @Test func aReferralInTheUsersSubtreeFreezesTheSource() throws {
        let server = try SlapdServer.require()
        let workspace = try synced(server)
        defer { workspace.remove() }
        // Entries below it live on another server: a read that skips them is not complete.
        let referral = "ou=partners,\(TestDirectory.people)"
        try server.modify(
            """
            dn: \(referral)
            changetype: add
            objectClass: referral
            objectClass: extensibleObject
            ou: partners
            ref: ldap://partner.example.com/ou=partners,dc=example,dc=com

            """, manageDSAIT: true)
        defer { try? server.modify("dn: \(referral)\nchangetype: delete\n", manageDSAIT: true) }
        let outcome = try workspace.run(["reconcile"])
        #expect(outcome.exitCode == 4, "\(outcome.all)")
        #expect(
            outcome.stdout.contains("search reference to ldap://partner.example.com/ou=partners"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("0 deactivated"))
        #expect(try workspace.users().allSatisfy { $0["status"] as? String == "active" })
    }

    @Test func slapdKilledDuringARunExits4AndDeactivatesNobody() throws {
        let server = try SlapdServer.require()
        // Five entries a page: several hundred round trips, so the kill lands mid-read.
        let workspace = try synced(server, pageSize: 5)
        defer { workspace.remove() }
        let log = try FileHandle(forReadingFrom: server.logFile)
        log.seekToEndOfFile()

        let run = try workspace.start(["reconcile"])
        var pages = 0
        let deadline = Date().addingTimeInterval(30)
        while pages < 3, Date() < deadline, run.isRunning {
            let text = String(decoding: log.availableData, as: UTF8.self)
            pages += text.components(separatedBy: "nentries=5 ").count - 1
            usleep(2_000)
        }
        server.kill()
        defer { try? server.restart() }
        let outcome = try workspace.roster.finish(run)
        #expect(pages >= 3, "the run was not seen reading pages")
        #expect(outcome.exitCode == 4, "\(outcome.all)")
        #expect(outcome.stdout.contains("INCOMPLETE"))
        #expect(outcome.stdout.contains("\(server.url): users search"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("0 deactivated"))
        let users = try workspace.users()
        #expect(users.count == TestDirectory.activeCount)
        #expect(users.allSatisfy { $0["status"] as? String == "active" })
    }
}

import Foundation
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterLDAP

/// Incremental reads of Active Directory with DirSync against a real Samba AD DC: changes since
/// the cookie of a full read, merged into that read, equal a new full read; a cookie that cannot
/// be used is refused, so that the caller reads in full.
@Suite(.sambaAvailable, .sambaDomainController, .timeLimit(.minutes(5)))
struct DirSyncTests {
    private func source(_ dc: SambaDomainController) -> LDAPSource {
        LDAPSource(name: "ad", options: ActiveDirectoryReadTests.options(dc))
    }

    /// DirSync needs the "Replicating Directory Changes" right on the domain. That is enough for
    /// Windows to hand out the tombstones of deleted objects; Samba (4.17) hands them only to
    /// accounts that may read `CN=Deleted Objects`, which only Domain Admins may, so for the
    /// deletion to be seen here the account is made one too.
    private func grantReplicatingDirectoryChanges(_ dc: SambaDomainController, seesDeletions: Bool = false) throws {
        try dc.sambaTool([
            "dsacl", "set", "--car=get-changes", "--action=allow", "--objectdn=\(ADFixture.baseDN)",
            "--trusteedn=\(ADFixture.serviceAccount.dn)",
        ])
        if seesDeletions {
            try dc.sambaTool(["group", "addmembers", "Domain Admins", ADFixture.serviceAccount.samAccountName])
        }
    }

    @Test func withoutTheRightEveryReadIsFullAndSaysWhy() async throws {
        let dc = try SambaDomainController.require()
        let snapshot = try await ActiveDirectoryReadTests.read(ActiveDirectoryReadTests.options(dc))
        #expect(snapshot.cookie == nil)
        #expect(snapshot.warnings.contains { $0.hasPrefix("incremental reads unavailable, every read is full: ") })
    }

    @Test func changesSinceAFullReadMergeIntoWhatAFullReadSees() async throws {
        let dc = try SambaDomainController.require()
        try grantReplicatingDirectoryChanges(dc, seesDeletions: true)
        let first = try await ActiveDirectoryReadTests.read(ActiveDirectoryReadTests.options(dc))
        let cookie = try #require(first.cookie, "a full read hands out a DirSync cookie: \(first.warnings)")

        try dc.sambaTool(["group", "addmembers", ADFixture.mlInterns.name, ADFixture.carol.samAccountName])
        try dc.sambaTool(["user", "disable", ADFixture.bob.samAccountName])
        try dc.sambaTool(["user", "delete", ADFixture.zoe.samAccountName])
        try dc.ldapModify(
            ldif: "dn: \(ADFixture.alice.dn)\nchangetype: modrdn\nnewrdn: CN=Alice Renamed\ndeleteoldrdn: 1\n")
        try dc.sambaTool([
            "user", "create", "newbie", "--random-password", "--given-name=New", "--surname=Bie",
            "--mail-address=newbie@roster.test",
            "--userou=\(ADFixture.people.replacingOccurrences(of: ",\(ADFixture.baseDN)", with: ""))",
        ])

        let read = await source(dc).readChanges(since: cookie)
        guard case .changes(let changes, let next, let base) = read else {
            Issue.record("expected changes, got \(read)")
            return
        }
        #expect(base.complete)
        // Only what changed came back, not the 2,011 users.
        #expect(changes.users.count < 10, "\(changes.users.map(\.label))")
        #expect(changes.users.contains { $0.username == "bob" && $0.disabled })
        #expect(changes.users.contains { $0.username == "newbie" && $0.email == "newbie@roster.test" })
        #expect(changes.groups.contains { $0.name == ADFixture.mlInterns.name })
        // The rename: same objectGUID, new DN.
        let alice = try #require(first.users.first { $0.username == "alice" })
        #expect(changes.users.first { $0.externalID == alice.externalID }?.dn?.hasPrefix("CN=Alice Renamed,") == true)
        let zoe = try #require(first.users.first { $0.username == "zoe" })
        #expect(changes.removed.contains(zoe.externalID))

        var merged = base
        merged.users = first.users
        merged.groups = first.groups
        merged = merged.merging(changes)
        let full = try await ActiveDirectoryReadTests.read(ActiveDirectoryReadTests.options(dc))
        #expect(Self.digest(merged) == Self.digest(full))

        // Nothing changed since: nothing comes back, and the cookie still works.
        let again = await source(dc).readChanges(since: next)
        guard case .changes(let none, _, _) = again else {
            Issue.record("expected no changes, got \(again)")
            return
        }
        #expect(none.users.isEmpty && none.groups.isEmpty && none.removed.isEmpty)
    }

    @Test func aCookieTheServerCannotUseIsRefused() async throws {
        let dc = try SambaDomainController.require()
        try grantReplicatingDirectoryChanges(dc)
        let first = try await ActiveDirectoryReadTests.read(ActiveDirectoryReadTests.options(dc))
        let text = try #require(first.cookie)
        let original = try #require(StoredCookie(text: text))
        guard case .dirSync(_, let server) = original.cookie else {
            Issue.record("not a DirSync cookie")
            return
        }
        // Bytes the DC cannot decode as a DirSync cookie.
        func stored(_ cookie: IncrementalCookie) -> String {
            StoredCookie(settings: original.settings, cookie: cookie).text
        }
        let garbage = stored(.dirSync(cookie: Data("not a cookie".utf8), server: server))
        guard case .refused(let reason) = await source(dc).readChanges(since: garbage) else {
            Issue.record("a garbage cookie was not refused")
            return
        }
        #expect(reason.contains("refused the DirSync cookie"), "\(reason)")

        // A cookie from another DC (or this one before a restore): another invocationId.
        var other = server
        other.invocationID = "00000000-0000-0000-0000-000000000001"
        let foreign = stored(.dirSync(cookie: Data(), server: other))
        guard case .refused(let why) = await source(dc).readChanges(since: foreign) else {
            Issue.record("a cookie of another DC was not refused")
            return
        }
        #expect(why.contains("invocationId"), "\(why)")

        // A DC whose USN went back (restored from a backup).
        var ahead = server
        ahead.highestCommittedUSN += 1_000_000
        guard
            case .refused(let back) = await source(dc).readChanges(
                since: stored(.dirSync(cookie: Data(), server: ahead)))
        else {
            Issue.record("a cookie from the future was not refused")
            return
        }
        #expect(back.contains("highestCommittedUSN went back"), "\(back)")
    }

    /// Users by id (name, email, DN, disabled) and groups by id (name, members), order aside.
    static func digest(_ snapshot: SourceSnapshot) -> [String: String] {
        var digest: [String: String] = [:]
        for user in snapshot.users {
            digest[user.externalID] =
                "\(user.username ?? "")|\(user.email ?? "")|\(user.normalizedDN ?? "")|\(user.disabled)|"
                + "\(user.primaryGroupSID ?? "")"
        }
        for group in snapshot.groups {
            digest[group.mergeKey] = "\(group.name)|\(group.normalizedDN)|\(group.members.sorted())"
        }
        return digest
    }
}

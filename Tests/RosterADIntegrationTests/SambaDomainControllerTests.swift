import Foundation
import RosterTestSupport
import Testing

/// The test DC itself: it starts, serves the fixture over every transport Roster uses, and
/// behaves as Active Directory where Roster depends on it.
@Suite(.sambaAvailable, .sambaDomainController, .timeLimit(.minutes(5)))
struct SambaDomainControllerTests {
    @Test func servesTheFixtureToTheServiceAccountOverLDAPS() throws {
        let dc = try SambaDomainController.require()
        let rootDSE = try dc.ldapSearch(base: "", scope: "base", attributes: ["defaultNamingContext"])
        #expect(rootDSE.contains("defaultNamingContext: \(ADFixture.baseDN)"))

        // Paged, as Roster reads: AD answers at most 1,000 entries per page.
        let people = try dc.ldapSearch(
            base: ADFixture.people, filter: "(&(objectCategory=person)(objectClass=user))", attributes: ["1.1"],
            extra: ["-E", "pr=500/noprompt"])
        #expect(values("dn", in: people).count == ADFixture.userCount)

        let jurgen = try dc.ldapSearch(
            base: ADFixture.people, filter: "(sAMAccountName=\(ADFixture.jurgen.samAccountName))",
            attributes: ["userPrincipalName", "userAccountControl"])
        #expect(values("dn", in: jurgen) == [ADFixture.jurgen.dn])
        #expect(values("userPrincipalName", in: jurgen) == [ADFixture.jurgen.userPrincipalName])
        #expect(values("userAccountControl", in: jurgen) == ["544"])

        let dave = try dc.ldapSearch(base: ADFixture.dave.dn, scope: "base", attributes: ["userAccountControl"])
        #expect(values("userAccountControl", in: dave) == ["514"])
    }

    @Test func startTLSWorksWithTheCAAndAnotherCAIsRefused() throws {
        let dc = try SambaDomainController.require()
        let arguments = [
            "-x", "-ZZ", "-LLL", "-H", dc.ldapURL, "-D", dc.serviceAccount.userPrincipalName, "-w",
            dc.serviceAccount.password, "-b", dc.baseDN, "-s", "base", "(objectClass=*)", "1.1",
        ]
        var ldapsearch = try ExternalTool(SambaInstallation.ldapsearch)
        ldapsearch.environment = ["LDAPTLS_CACERT": dc.caFile, "LDAPTLS_REQCERT": "demand"]
        #expect(try ldapsearch.run(arguments).exitCode == 0)
        ldapsearch.environment["LDAPTLS_CACERT"] = dc.otherCAFile
        #expect(try ldapsearch.run(arguments).exitCode != 0)
    }

    @Test func theBigGroupHasAllItsMembersInOneRange() throws {
        let dc = try SambaDomainController.require()
        let all = try dc.ldapSearch(base: ADFixture.big.dn, scope: "base", attributes: ["member;range=0-*"])
        #expect(Set(values("member;range=0-*", in: all)) == Set(ADFixture.big.members))
        #expect(ADFixture.big.members.count == 2000)
        // Ranges that end early say where they ended.
        let first = try dc.ldapSearch(base: ADFixture.big.dn, scope: "base", attributes: ["member;range=0-999"])
        #expect(values("member;range=0-999", in: first).count == 1000)
    }

    @Test func primaryGroupsAreTokensNotMembers() throws {
        let dc = try SambaDomainController.require()
        let domainUsers = try dc.ldapSearch(
            base: ADFixture.domainUsersDN, scope: "base", attributes: ["primaryGroupToken", "member"])
        #expect(values("primaryGroupToken", in: domainUsers) == [String(ADFixture.domainUsersRID)])
        #expect(values("member", in: domainUsers) == ADFixture.domainUsersMembers)

        let research = try dc.ldapSearch(
            base: ADFixture.research.dn, scope: "base", attributes: ["primaryGroupToken", "member"])
        #expect(values("member", in: research) == ADFixture.research.members)
        let peggy = try dc.ldapSearch(base: ADFixture.peggy.dn, scope: "base", attributes: ["primaryGroupID"])
        #expect(values("primaryGroupID", in: peggy) == values("primaryGroupToken", in: research))
        let alice = try dc.ldapSearch(base: ADFixture.alice.dn, scope: "base", attributes: ["primaryGroupID"])
        #expect(values("primaryGroupID", in: alice) == ["513"])
    }

    @Test func eachTestHasItsOwnCopyOnItsOwnAddress() async throws {
        let dc = try SambaDomainController.require()
        let other = try await SambaDomainController.start()
        defer { other.stop() }
        #expect(other.address != dc.address)

        try dc.sambaTool(["user", "disable", ADFixture.alice.samAccountName])
        let here = try dc.ldapSearch(base: ADFixture.alice.dn, scope: "base", attributes: ["userAccountControl"])
        let there = try other.ldapSearch(base: ADFixture.alice.dn, scope: "base", attributes: ["userAccountControl"])
        #expect(values("userAccountControl", in: here) == ["546"])
        #expect(values("userAccountControl", in: there) == ["544"])
    }

    @Test func comesBackAfterAKillWithItsData() async throws {
        let dc = try SambaDomainController.require()
        try dc.sambaTool(["group", "addmembers", ADFixture.research.name, ADFixture.bob.samAccountName])
        dc.kill()
        #expect(throws: (any Error).self) { try dc.ldapSearch(base: "", scope: "base") }
        try await dc.restart()
        let research = try dc.ldapSearch(base: ADFixture.research.dn, scope: "base", attributes: ["member"])
        #expect(Set(values("member", in: research)) == Set(ADFixture.research.members + [ADFixture.bob.dn]))
    }

    @Test func theServiceAccountPasswordFileIsPrivate() throws {
        let dc = try SambaDomainController.require()
        let attributes = try FileManager.default.attributesOfItem(atPath: dc.serviceAccount.passwordFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(
            try String(contentsOfFile: dc.serviceAccount.passwordFile, encoding: .utf8) == dc.serviceAccount.password)
    }

    /// The values of `attribute` in unwrapped LDIF, base64 ones decoded.
    private func values(_ attribute: String, in ldif: String) -> [String] {
        ldif.split(separator: "\n").compactMap { line in
            if line.hasPrefix("\(attribute): ") { return String(line.dropFirst(attribute.count + 2)) }
            guard line.hasPrefix("\(attribute):: "),
                let data = Data(base64Encoded: String(line.dropFirst(attribute.count + 3)))
            else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

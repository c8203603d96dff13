import Foundation
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterLDAP

/// Roster's LDAP source against a real Samba AD DC: full reads with AD's defaults, primary
/// groups, ranged member lists, the three bind names, LDAPS and StartTLS, renames.
@Suite(.sambaAvailable, .sambaDomainController, .timeLimit(.minutes(5)))
struct ActiveDirectoryReadTests {
    static func options(
        _ dc: SambaDomainController, url: String? = nil, bindName: String? = nil, startTLS: Bool = false,
        rangeSize: Int? = 500, groups: Bool = true
    ) -> LDAPSourceOptions {
        LDAPSourceOptions(
            urls: [url ?? dc.ldapsURL], bindDN: bindName ?? dc.serviceAccount.userPrincipalName,
            bindPasswordFile: dc.serviceAccount.passwordFile, tls: TLSOptions(caFile: dc.caFile, startTLS: startTLS),
            flavor: .activeDirectory, pageSize: 500, rangeSize: rangeSize, timeout: .seconds(60),
            users: UserQuery(base: ADFixture.people, attributes: .defaults(for: .activeDirectory)),
            groups: groups ? GroupQuery(base: ADFixture.baseDN, nested: true) : nil)
    }

    static func read(_ options: LDAPSourceOptions) async throws -> SourceSnapshot {
        let snapshot = await LDAPSource(name: "ad", options: options).read()
        try #require(snapshot.complete, "\(snapshot.problem ?? "")")
        return snapshot
    }

    @Test func aFullReadIsExact() async throws {
        let dc = try SambaDomainController.require()
        let snapshot = try await Self.read(Self.options(dc))

        #expect(snapshot.users.count == ADFixture.userCount)
        let byName = Dictionary(uniqueKeysWithValues: snapshot.users.map { ($0.username ?? "", $0) })
        for person in ADFixture.named {
            let user = try #require(byName[person.samAccountName], "\(person.samAccountName) missing")
            #expect(user.email == person.mail)
            #expect(user.firstName == person.givenName && user.lastName == person.sn)
            #expect(user.normalizedDN == (try LDAPDNNormalizer().normalize(person.dn)))
            // Disabled by userAccountControl bit 0x2, or expired (accountExpires in the past).
            #expect(user.disabled == (person.isDisabled || person.accountExpires != nil), "\(person.samAccountName)")
        }
        // objectGUID, in the GUID string form AD tools print.
        let alice = try #require(byName["alice"])
        let guid = try dc.ldapSearch(base: ADFixture.alice.dn, scope: "base", attributes: ["objectGUID"])
        let encoded = try #require(guid.split(separator: "\n").first { $0.hasPrefix("objectGUID:: ") })
        let bytes = try #require(Data(base64Encoded: String(encoded.dropFirst("objectGUID:: ".count))))
        #expect(alice.externalID == AttributeValue.guid([UInt8](bytes)))
        #expect(alice.externalID.count == 36 && alice.externalID == alice.externalID.lowercased())
        #expect(Set(snapshot.users.map(\.externalID)).count == snapshot.users.count)
    }

    @Test(arguments: [500, nil] as [Int?])
    func theBigGroupIsCompleteThroughRanges(rangeSize: Int?) async throws {
        let dc = try SambaDomainController.require()
        let snapshot = try await Self.read(Self.options(dc, rangeSize: rangeSize))
        let big = try #require(snapshot.groups.first { $0.name == ADFixture.big.name })
        let expected = try Set(ADFixture.big.members.map { try LDAPDNNormalizer().normalize($0) })
        #expect(big.members.count == 2000)
        #expect(Set(big.members) == expected)
        #expect(!big.externalID.isEmpty)
    }

    @Test func configCheckConnectCountsEveryMemberOfARangedGroup() async throws {
        let dc = try SambaDomainController.require()
        var options = Self.options(dc)
        options.groups = GroupQuery(base: ADFixture.groups, filter: "(cn=\(ADFixture.big.name))")
        let report = await LDAPSource(name: "ad", options: options).probe()
        #expect(report.ok, "\(report.lines)")
        #expect(report.lines.contains { $0.hasSuffix("(2000 member values)") }, "\(report.lines)")
    }

    @Test func primaryGroupsAndNestedGroupsMap() async throws {
        let dc = try SambaDomainController.require()
        let snapshot = try await Self.read(Self.options(dc))
        let index = MembershipIndex(snapshot: snapshot)
        func groups(of name: String) throws -> Set<String> {
            let user = try #require(snapshot.users.first { $0.username == name })
            return Set(index.memberships(of: user).map { index.groups[$0.group].name })
        }
        // Peggy's primary group is research, which `member` does not list (AD moved her former
        // primary group, Domain Users, into `member`).
        #expect(try groups(of: "peggy") == ["research", "Domain Users", "Users"])
        // Everyone else's is Domain Users, also never in `member`; Domain Users is in BUILTIN\Users.
        #expect(try groups(of: "alice") == ["Domain Users", "Users", "ml-core", "ml-interns", "platform-admins"])
        #expect(try groups(of: "bob") == ["Domain Users", "Users", "ml-interns", "ml-core", "platform-admins"])
        #expect(try groups(of: "carol") == ["Domain Users", "Users", "research"])
        #expect(try groups(of: "bulk0042") == ["Domain Users", "Users", "big-2000"])
    }

    @Test func bindsByDNPrincipalNameAndDownLevelNameOverLDAPSAndStartTLS() async throws {
        let dc = try SambaDomainController.require()
        let account = dc.serviceAccount
        for name in [account.dn, account.userPrincipalName, account.downLevelName] {
            let overLDAPS = try await Self.read(Self.options(dc, bindName: name, groups: false))
            #expect(overLDAPS.users.count == ADFixture.userCount, "\(name)")
            let overStartTLS = try await Self.read(
                Self.options(dc, url: dc.ldapURL, bindName: name, startTLS: true, groups: false))
            #expect(overStartTLS.users.count == ADFixture.userCount, "\(name)")
        }
        // A CA that did not sign the DC's certificate: refused, and said so.
        var wrongCA = Self.options(dc, groups: false)
        wrongCA.tls.caFile = dc.otherCAFile
        let refused = await LDAPSource(name: "ad", options: wrongCA).read()
        #expect(!refused.complete)
        #expect(refused.problem?.contains(dc.ldapsURL) == true)
    }

    @Test func aRenameKeepsTheObjectGUID() async throws {
        let dc = try SambaDomainController.require()
        let before = try await Self.read(Self.options(dc, groups: false))
        let bob = try #require(before.users.first { $0.username == "bob" })
        try dc.ldapModify(
            ldif: """
                dn: \(ADFixture.bob.dn)
                changetype: modrdn
                newrdn: CN=Bob Brown
                deleteoldrdn: 1

                """)
        let after = try await Self.read(Self.options(dc, groups: false))
        let renamed = try #require(after.users.first { $0.externalID == bob.externalID })
        #expect(renamed.dn?.hasPrefix("CN=Bob Brown,") == true)
        #expect(renamed.username == "bob")
    }
}

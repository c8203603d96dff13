import Foundation
import RosterCore
import Testing

@testable import RosterLDAP

extension ReadOnlyDirectoryTests {
    /// The LDAP client itself against slapd: paging past the size limit, the limit itself, what
    /// entries become, and `memberUid` groups.
    @Suite struct LDAPSourceReadTests {
        private func options(
            _ server: SlapdServer, pageSize: Int = 500, groups: GroupQuery? = nil
        ) -> LDAPSourceOptions {
            LDAPSourceOptions(
                urls: [server.url], bindDN: TestDirectory.bindDN, bindPasswordFile: passwordFile.path,
                pageSize: pageSize, timeout: .seconds(10),
                users: UserQuery(
                    base: TestDirectory.people, filter: "(objectClass=inetOrgPerson)",
                    attributes: .defaults(for: .openldap)),
                groups: groups
                    ?? GroupQuery(base: TestDirectory.groups, filter: "(objectClass=groupOfNames)", nested: true))
        }

        private let passwordFile: URL

        init() throws {
            passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "roster-ldapint-\(UUID().uuidString).secret")
            try (TestDirectory.bindPassword + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        }

        @Test func anUnpagedSearchHitsTheSizeLimit() throws {
            let server = try SlapdServer.require()
            defer { try? FileManager.default.removeItem(at: passwordFile) }
            // The limit is the server's, not Roster's: ldapsearch without paging fails too.
            let unpaged = try server.searchAsBindAccount(
                base: TestDirectory.people, filter: "(objectClass=inetOrgPerson)")
            #expect(unpaged.exitCode == 4)  // LDAP_SIZELIMIT_EXCEEDED
            #expect(unpaged.output.contains("Size limit exceeded"))

            // The same search through Roster's client without the paged-results control fails.
            let connection = try LDAPConnection(
                url: server.url, settings: LDAPDirectoryReader.settings(options(server)))
            try connection.bind(dn: TestDirectory.bindDN, password: Array(TestDirectory.bindPassword.utf8))
            var request = LDAPSearchPlan.users(options(server), selectorAttributes: [])
            request.pageSize = 0
            var seen = 0
            let error = #expect(throws: LDAPReadFailure.self) {
                try PagedSearch(connection: connection, request: request).run { _ in seen += 1 }
            }
            // A page is handed on only once its result says it is whole: none of these entries is.
            #expect(seen == 0)
            let message = error?.description ?? ""
            #expect(message.contains("Size limit exceeded"), "\(message)")
            #expect(message.contains(server.url))
            #expect(message.contains("base \"\(TestDirectory.people)\""))
            #expect(message.contains("filter \"(objectClass=inetOrgPerson)\""))
        }

        @Test func aPagedReadGetsEveryEntry() throws {
            let server = try SlapdServer.require()
            defer { try? FileManager.default.removeItem(at: passwordFile) }
            let clock = ContinuousClock()
            let start = clock.now
            let result = try LDAPDirectoryReader(
                options: options(server), selectorAttributes: [], normalizer: LDAPDNNormalizer()
            ).read()
            let elapsed = clock.now - start
            #expect(result.users.count == TestDirectory.userCount)
            #expect(result.userPages == (TestDirectory.userCount + 499) / 500)
            #expect(result.groups.count == 7)
            #expect(result.entriesWithoutUsername == 0)
            print(
                "LDAP read: \(result.users.count) users in \(result.userPages) pages, \(result.groups.count) groups"
                    + " in \(result.groupPages) page(s), \(elapsed)")

            let zoe = try #require(result.users.first { $0.username == "zoe" })
            #expect(zoe.firstName == "Zoë")
            #expect(UUID(uuidString: zoe.externalID) != nil)  // entryUUID, an operational attribute
            let jurgen = try #require(result.users.first { $0.email == "juergen.mueller@example.com" })
            #expect(jurgen.dn == "uid=jürgen.müller,ou=people,dc=example,dc=com")
            #expect(jurgen.normalizedDN == "uid=jürgen.müller,ou=people,dc=example,dc=com")
            #expect(result.users.filter(\.disabled).map(\.username) == ["locked.user"])

            let dataTeam = try #require(result.groups.first { $0.name == "Data, Team" })
            #expect(dataTeam.normalizedDN == "cn=data\\2c team,ou=groups,dc=example,dc=com")
            #expect(dataTeam.members.count == 2)
            let allStaff = try #require(result.groups.first { $0.name == "all-staff" })
            #expect(allStaff.members.count == TestDirectory.userCount)
        }

        @Test func memberUidGroupsListUsernames() async throws {
            let server = try SlapdServer.require()
            defer { try? FileManager.default.removeItem(at: passwordFile) }
            let groups = GroupQuery(
                base: TestDirectory.groups, filter: "(objectClass=posixGroup)", memberAttribute: "memberUid")
            let snapshot = await LDAPSource(name: "corp", options: options(server, pageSize: 2, groups: groups)).read()
            #expect(snapshot.complete, "\(snapshot.problem ?? "")")
            #expect(snapshot.membersAreUsernames)
            #expect(snapshot.groups.map(\.name) == ["ops"])
            #expect(snapshot.groups.first?.members == ["alice", "peggy"])
            #expect(snapshot.users.count == TestDirectory.userCount)
        }
    }
}

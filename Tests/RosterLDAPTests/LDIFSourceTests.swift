import Foundation
import RosterCore
import RosterLDAP
import Testing

struct LDIFSourceTests {
    let normalizer = LDAPDNNormalizer()

    // MARK: - The demo directory

    private func demo() async throws -> SourceSnapshot {
        let snapshot = await LDIFSource(name: "demo", options: Fixtures.demoOptions).read()
        try #require(snapshot.complete, "\(snapshot.problem ?? "")")
        return snapshot
    }

    private func user(_ username: String, in snapshot: SourceSnapshot) throws -> SourceUser {
        try #require(snapshot.users.first { $0.username == username })
    }

    private func group(_ name: String, in snapshot: SourceSnapshot) throws -> SourceGroup {
        try #require(snapshot.groups.first { $0.name == name })
    }

    @Test func demoCounts() async throws {
        let snapshot = try await demo()
        #expect(snapshot.source == "demo")
        #expect(snapshot.users.count == 60)
        #expect(snapshot.groups.count == 17)
        #expect(snapshot.nestedGroups)
        #expect(!snapshot.membersAreUsernames)
        #expect(snapshot.problem == nil)
        #expect(snapshot.readSeconds > 0)
    }

    @Test func demoUserFields() async throws {
        let snapshot = try await demo()
        let alice = try user("alice", in: snapshot)
        #expect(alice.externalID == "E1002")
        #expect(alice.email == "alice@example.com")
        #expect(alice.firstName == "Alice")
        #expect(alice.lastName == "Archer")
        #expect(alice.dn == "uid=alice,ou=people,dc=example,dc=com")
        #expect(alice.normalizedDN == "uid=alice,ou=people,dc=example,dc=com")
        #expect(alice.attributes["employeenumber"] == ["E1002"])
        #expect(alice.attributes["objectclass"]?.contains("inetOrgPerson") == true)
        #expect(alice.claims == nil)
        #expect(try user("bob", in: snapshot).attributes["departmentnumber"] == ["4711"])
        let victor = try user("victor", in: snapshot)
        #expect(victor.attributes["description"]?.first?.hasSuffix("to exercise LDIF line continuation.") == true)
    }

    @Test func demoDisabledUserIsFlagged() async throws {
        let snapshot = try await demo()
        #expect(snapshot.users.filter(\.disabled).map(\.username) == ["dave"])
    }

    @Test func demoNonASCIINamesAreDecoded() async throws {
        let snapshot = try await demo()
        let zoe = try user("zoe", in: snapshot)
        #expect(zoe.attributes["cn"] == ["Zoë Ångström"])
        #expect(zoe.firstName == "Zoë")
        #expect(zoe.lastName == "Ångström")
        let lukasz = try user("lukasz", in: snapshot)
        #expect(lukasz.firstName == "Łukasz")
        #expect(lukasz.lastName == "Żółć")
    }

    @Test func demoEdgeCasesReachThePlannerAsWritten() async throws {
        let snapshot = try await demo()
        // No id value: returned with an empty external id, which the planner skips with a reason.
        #expect(try user("trent", in: snapshot).externalID == "")
        #expect(try user("erin", in: snapshot).email == nil)
        #expect(try user("frank", in: snapshot).email == "frank.fischer.example.com")
        #expect(try user("heidi", in: snapshot).email == "Grace@Example.com")
    }

    @Test func demoEscapedGroupName() async throws {
        let snapshot = try await demo()
        let data = try group("Data, Team", in: snapshot)
        #expect(data.dn == "cn=Data\\, Team,ou=groups,dc=example,dc=com")
        #expect(data.normalizedDN == (try normalizer.normalize("CN=Data\\2C Team,OU=Groups,DC=Example,DC=Com")))
        #expect(data.members.contains("uid=zoe,ou=people,dc=example,dc=com"))
    }

    @Test func demoMembersAreNormalised() async throws {
        let snapshot = try await demo()
        for group in snapshot.groups {
            for member in group.members {
                #expect(member == (try normalizer.normalize(member)), "\(group.name): \(member)")
            }
        }
        // Written as `UID=kofi.kaur, OU=People, DC=Example,DC=com` in the file.
        #expect(try group("Data, Team", in: snapshot).members.contains("uid=kofi.kaur,ou=people,dc=example,dc=com"))
    }

    @Test func demoNestedGroupsArePresent() async throws {
        let snapshot = try await demo()
        let dn = { (cn: String) in "cn=\(cn),ou=groups,dc=example,dc=com" }
        #expect(try group("ml-admins", in: snapshot).members.contains(dn("ml-core")))
        #expect(try group("ml-core", in: snapshot).members.contains(dn("ml-interns")))
        #expect(try group("ml-interns", in: snapshot).members.contains("uid=ivan,ou=people,dc=example,dc=com"))
        #expect(try group("cycle-a", in: snapshot).members.contains(dn("cycle-b")))
        #expect(try group("cycle-b", in: snapshot).members.contains(dn("cycle-a")))
        // The base entries are neither users nor groups.
        #expect(!snapshot.groups.contains { $0.normalizedDN == "ou=groups,dc=example,dc=com" })
    }

    // MARK: - Small files

    @Test func memberUidGroupsKeepUsernames() async throws {
        let (snapshot, _) = try await TemporaryLDIF.snapshot(
            Fixtures.header + """
                dn: uid=alice,ou=people,dc=example,dc=com
                objectClass: posixAccount
                uid: alice
                entryUUID: 7c5e0c56-4b43-4d1a-9a57-6a1d1b2c3d4e

                dn: cn=staff,ou=groups,dc=example,dc=com
                objectClass: posixGroup
                cn: staff
                memberUid: alice
                memberUid: Bob
                """,
            groups: GroupQuery(base: "ou=groups,dc=example,dc=com", memberAttribute: "memberUid"))
        #expect(snapshot.complete)
        #expect(snapshot.membersAreUsernames)
        #expect(!snapshot.nestedGroups)
        #expect(snapshot.groups.map(\.members) == [["alice", "Bob"]])
        #expect(snapshot.users.map(\.externalID) == ["7c5e0c56-4b43-4d1a-9a57-6a1d1b2c3d4e"])
    }

    @Test func binaryIdIsRenderedAsGUID() async throws {
        let (snapshot, _) = try await TemporaryLDIF.snapshot(
            """
            dn: CN=Ada Lovelace,OU=Staff,DC=corp,DC=example
            objectClass: user
            sAMAccountName: ada
            objectGUID:: AAECAwQFBgcICQoLDA0ODw==
            userAccountControl: 514

            dn: CN=Alan Turing,OU=Staff,DC=corp,DC=example
            objectClass: user
            sAMAccountName: alan
            objectGUID:: EBESExQVFhcYGRobHB0eHw==
            userAccountControl: 512
            nsAccountLock: false

            dn: CN=Staff,OU=Staff,DC=corp,DC=example
            objectClass: group
            sAMAccountName: staff
            cn: Staff
            member: CN=Ada Lovelace,OU=Staff,DC=corp,DC=example
            """,
            users: UserQuery(base: "dc=corp,dc=example", attributes: AttributeMap.defaults(for: .activeDirectory)),
            groups: GroupQuery(base: "DC=corp,DC=example"))
        #expect(snapshot.complete, "\(snapshot.problem ?? "")")
        #expect(
            snapshot.users.map(\.externalID) == [
                "03020100-0504-0706-0809-0a0b0c0d0e0f", "13121110-1514-1716-1819-1a1b1c1d1e1f",
            ])
        #expect(snapshot.users.map(\.disabled) == [true, false])
        #expect(snapshot.users.first?.attributes["objectguid"] == ["03020100-0504-0706-0809-0a0b0c0d0e0f"])
        // With overlapping bases a group is not a user, though it has a sAMAccountName.
        #expect(snapshot.groups.map(\.name) == ["Staff"])
        #expect(snapshot.groups.first?.members == ["cn=ada lovelace,ou=staff,dc=corp,dc=example"])
    }

    @Test func nsAccountLockDisables() async throws {
        let (snapshot, _) = try await TemporaryLDIF.snapshot(
            Fixtures.header + """
                dn: uid=carol,ou=people,dc=example,dc=com
                uid: carol
                nsAccountLock: TRUE
                """)
        #expect(snapshot.users.map(\.disabled) == [true])
    }

    @Test func syntaxErrorGivesAnIncompleteSnapshotNamingTheLine() async throws {
        let (snapshot, path) = try await TemporaryLDIF.snapshot(
            Fixtures.header + """
                dn: uid=alice,ou=people,dc=example,dc=com
                uid: alice
                this line is not LDIF
                """)
        #expect(!snapshot.complete)
        #expect(snapshot.users.isEmpty)
        #expect(snapshot.source == "test")
        // Fixtures.header is 14 lines, its last one blank; the bad line is the 17th.
        #expect(snapshot.problem == "\(path):17: expected `attribute: value`, found no colon")
    }

    @Test func missingFileGivesAnIncompleteSnapshot() async {
        let options = LDIFSourceOptions(path: "/nonexistent/directory.ldif", users: Fixtures.users)
        let snapshot = await LDIFSource(name: "gone", options: options).read()
        #expect(!snapshot.complete)
        #expect(snapshot.problem?.contains("/nonexistent/directory.ldif") == true)
    }

    @Test(arguments: [
        ("dn: uid=a,ou=people,dc=example,dc=com\nuid: a\n\ndn: UID=A, OU=People,dc=example,dc=com\nuid: a\n", "line 1"),
        ("dn: uid=a,,ou=people,dc=example,dc=com\nuid: a\n", "invalid DN"),
        ("dn: cn=g,ou=groups,dc=example,dc=com\ncn: g\nmember: not a dn\n", "not a dn"),
    ])
    func dataProblemsGiveAnIncompleteSnapshot(_ text: String, _ words: String) async throws {
        let (snapshot, path) = try await TemporaryLDIF.snapshot(text)
        #expect(!snapshot.complete)
        #expect(snapshot.problem?.hasPrefix(path + ":") == true)
        #expect(snapshot.problem?.contains(words) == true, "\(snapshot.problem ?? "")")
    }

    @Test func aFilterIsRefused() async throws {
        let users = UserQuery(
            base: "ou=people,dc=example,dc=com", filter: "(objectClass=person)",
            attributes: AttributeMap.defaults(for: .openldap))
        let (snapshot, _) = try await TemporaryLDIF.snapshot(Fixtures.header, users: users)
        #expect(!snapshot.complete)
        #expect(snapshot.problem?.contains("filter") == true)
    }

    @Test func entriesOutsideTheBasesAndWithoutNamesAreIgnored() async throws {
        let (snapshot, _) = try await TemporaryLDIF.snapshot(
            Fixtures.header + """
                dn: uid=outside,ou=contractors,dc=example,dc=com
                uid: outside

                dn: uid=alice,ou=people2,dc=example,dc=com
                uid: alice

                dn: cn=no-uid,ou=people,dc=example,dc=com
                cn: no-uid

                dn: ou=teams,ou=groups,dc=example,dc=com
                ou: teams

                dn: cn=ml,ou=teams,ou=groups,dc=example,dc=com
                cn: ml
                """)
        #expect(snapshot.complete)
        #expect(snapshot.users.isEmpty)
        #expect(snapshot.groups.map(\.name) == ["ml"])
        #expect(snapshot.groups.first?.members == [])
    }
}

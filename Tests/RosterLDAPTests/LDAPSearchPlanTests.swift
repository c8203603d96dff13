import Foundation
import RosterCore
import Testing

@testable import RosterLDAP

/// What an LDAP source asks the server for, and how it reads its bind password: no server needed.
struct LDAPSearchPlanTests {
    private func options(
        flavor: DirectoryFlavor = .openldap, userFilter: String? = nil, groups: GroupQuery? = nil
    ) -> LDAPSourceOptions {
        LDAPSourceOptions(
            urls: ["ldaps://dc1.example.com"], flavor: flavor, pageSize: 250, timeout: .seconds(20),
            users: UserQuery(
                base: "ou=people,dc=example,dc=com", filter: userFilter, attributes: .defaults(for: flavor)),
            groups: groups)
    }

    @Test func usersRequestTheMappedLockAndSelectorAttributesByName() {
        let request = LDAPSearchPlan.users(options(), selectorAttributes: ["departmentNumber", "MAIL"])
        #expect(
            request.attributes == [
                "objectClass", "entryUUID", "uid", "mail", "givenName", "sn", "pwdAccountLockedTime", "nsAccountLock",
                "userAccountControl", "departmentNumber",
            ])
        #expect(request.pageSize == 250)
        #expect(request.sizeLimit == 0)
        #expect(request.timeout == .seconds(20))
        #expect(request.filter == "(uid=*)")
        #expect(request.label == "users search (base \"ou=people,dc=example,dc=com\", filter \"(uid=*)\")")
    }

    @Test(arguments: [
        (DirectoryFlavor.openldap, "(uid=*)"),
        (.ds389, "(uid=*)"),
        (.activeDirectory, "(&(objectCategory=person)(objectClass=user)(sAMAccountName=*))"),
    ])
    func defaultUserFilters(flavor: DirectoryFlavor, filter: String) {
        #expect(LDAPSearchPlan.users(options(flavor: flavor), selectorAttributes: []).filter == filter)
    }

    @Test func activeDirectoryAsksForPrimaryGroupsExpiryAndMemberWindows() throws {
        var ad = options(flavor: .activeDirectory, groups: GroupQuery(base: "dc=example,dc=com"))
        ad.rangeSize = 500
        let users = LDAPSearchPlan.users(ad, selectorAttributes: [])
        #expect(users.attributes.suffix(3) == ["accountExpires", "objectSid", "primaryGroupID"])
        #expect(users.domainScope)
        let groups = try #require(LDAPSearchPlan.groups(ad))
        #expect(groups.attributes == ["objectClass", "objectGUID", "cn", "objectSid", "member;range=0-499"])
        #expect(groups.domainScope)
        ad.rangeSize = nil
        #expect(LDAPSearchPlan.groups(ad)?.attributes.last == "member")
        #expect(!LDAPSearchPlan.users(options(), selectorAttributes: []).domainScope)
    }

    @Test func aConfiguredFilterWins() {
        let request = LDAPSearchPlan.users(options(userFilter: "(objectClass=inetOrgPerson)"), selectorAttributes: [])
        #expect(request.filter == "(objectClass=inetOrgPerson)")
    }

    @Test func groupsRequestTheNameAndMemberAttributes() throws {
        #expect(LDAPSearchPlan.groups(options()) == nil)
        let groups = GroupQuery(base: "ou=groups,dc=example,dc=com", memberAttribute: "uniqueMember")
        let request = try #require(LDAPSearchPlan.groups(options(groups: groups), pageSize: 0, sizeLimit: 1))
        #expect(request.attributes == ["objectClass", "entryUUID", "cn", "uniqueMember"])
        #expect(request.filter.hasPrefix("(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)"))
        #expect(request.pageSize == 0)
        #expect(request.sizeLimit == 1)
    }

    // MARK: - Bind password

    private func passwordFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: ["s3cret\n", "s3cret\r\n", "s3cret"])
    func theLineEndIsDropped(contents: String) throws {
        let path = try passwordFile(contents)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let password = try BindPassword.read(path: path)
        #expect(password.bytes == Array("s3cret".utf8))
        #expect(!password.description.contains("s3cret"))
    }

    @Test func anEmptyOrMissingPasswordFileIsAnError() throws {
        let path = try passwordFile("\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: LDAPReadFailure.self) { try BindPassword.read(path: path) }
        let missing = #expect(throws: LDAPReadFailure.self) { try BindPassword.read(path: path + ".missing") }
        #expect(missing?.description == "bind_password_file \(path).missing does not exist")
    }

    // MARK: - Error text

    @Test func errorsCarryTheOperationLibldapsMessageAndTheServersText() {
        let error = LDAPError(code: 49, operation: "ldap://dc1: bind as cn=x failed", diagnostic: "80090308: data 52e")
        #expect(error.description == "ldap://dc1: bind as cn=x failed: Invalid credentials (80090308: data 52e)")
        // GnuTLS builds say nothing useful about a failed handshake; that is left out.
        let tls = LDAPError(code: -1, operation: "ldaps://dc1: bind failed", diagnostic: "(unknown error code)")
        #expect(tls.description == "ldaps://dc1: bind failed: Can't contact LDAP server")
    }

    @Test func timeoutsBecomeTimevals() {
        let value = timeval(.milliseconds(2500))
        #expect(value.tv_sec == 2 && value.tv_usec == 500_000)
        #expect(timeval(.zero).tv_usec == 1)
    }
}

import Foundation
import RosterTestSupport

/// The directory every test slapd starts with: more than 2,500 people (more than the bind
/// account's size limit of 1,000, so only a paged read gets them all), nested groups with a
/// cycle, a group whose DN needs escaping, non-ASCII names and DNs, and a locked account.
enum TestDirectory {
    static let suffix = "dc=example,dc=com"
    static let people = "ou=people,dc=example,dc=com"
    static let groups = "ou=groups,dc=example,dc=com"
    static let adminDN = "cn=admin,dc=example,dc=com"
    static let adminPassword = "admin-secret"
    static let bindDN = "cn=roster,ou=services,dc=example,dc=com"
    /// Distinctive, so that a test can prove it appears in no output.
    static let bindPassword = "Bind-Secret-7f3a9c"
    /// The hard size limit of the bind account, as Active Directory's MaxPageSize.
    static let sizeLimit = 1000

    struct Person {
        var uid: String
        var givenName: String
        var sn: String
        var mail: String
        var extra: [(String, String)] = []
    }

    static let generatedCount = 2600

    /// The people the assertions name.
    static let named: [Person] = [
        Person(uid: "alice", givenName: "Alice", sn: "Archer", mail: "alice@example.com"),
        Person(uid: "judy", givenName: "Judy", sn: "Jones", mail: "judy@example.com"),
        Person(uid: "oscar", givenName: "Oscar", sn: "Olsen", mail: "oscar@example.com"),
        Person(uid: "peggy", givenName: "Peggy", sn: "Parker", mail: "peggy@example.com"),
        Person(uid: "zoe", givenName: "Zoë", sn: "Ångström", mail: "zoe@example.com"),
        Person(uid: "jürgen.müller", givenName: "Jürgen", sn: "Müller", mail: "juergen.mueller@example.com"),
        Person(
            uid: "rosa", givenName: "Rosa", sn: "Reyes", mail: "rosa@example.com", extra: [("departmentNumber", "4711")]
        ),
        Person(
            uid: "locked.user", givenName: "Lock", sn: "Ed", mail: "locked.user@example.com",
            extra: [("pwdAccountLockedTime", "000001010000Z")]),
    ]

    static func generated(_ index: Int) -> Person {
        let uid = String(format: "user%04d", index)
        return Person(uid: uid, givenName: "User", sn: String(format: "Number %04d", index), mail: "\(uid)@example.com")
    }

    static var allPeople: [Person] { named + (1...generatedCount).map(generated) }
    /// Entries the users search returns.
    static var userCount: Int { generatedCount + named.count }
    /// Users a sync creates: all but the locked one.
    static var activeCount: Int { userCount - 1 }

    static func dn(_ uid: String) -> String { "uid=\(uid),\(people)" }

    // MARK: - LDIF

    static var ldif: String {
        var records: [[(String, String)]] = [
            [
                ("dn", suffix), ("objectClass", "dcObject"), ("objectClass", "organization"), ("o", "Example"),
                ("dc", "example"),
            ],
            [("dn", "ou=services,\(suffix)"), ("objectClass", "organizationalUnit"), ("ou", "services")],
            [
                ("dn", bindDN), ("objectClass", "organizationalRole"), ("objectClass", "simpleSecurityObject"),
                ("cn", "roster"), ("userPassword", bindPassword),
            ],
            [("dn", people), ("objectClass", "organizationalUnit"), ("ou", "people")],
            [("dn", groups), ("objectClass", "organizationalUnit"), ("ou", "groups")],
        ]
        for person in allPeople { records.append(entry(person)) }
        records += groupRecords
        return records.map { record in record.map(line).joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    static func entry(_ person: Person) -> [(String, String)] {
        [
            ("dn", dn(person.uid)), ("objectClass", "inetOrgPerson"), ("uid", person.uid),
            ("cn", "\(person.givenName) \(person.sn)"), ("givenName", person.givenName), ("sn", person.sn),
            ("mail", person.mail),
        ] + person.extra
    }

    private static func group(_ rdn: String, _ members: [String]) -> [(String, String)] {
        let cn = rdn.dropFirst(3).replacingOccurrences(of: "\\,", with: ",")
        return [("dn", "\(rdn),\(groups)"), ("objectClass", "groupOfNames"), ("cn", cn)]
            + members.map { ("member", $0) }
    }

    private static var groupRecords: [[(String, String)]] {
        [
            // platform-admins ← ml-core ⇄ ml-interns: alice and judy are admins through a cycle.
            group("cn=platform-admins", ["cn=ml-core,\(groups)"]),
            group("cn=ml-core", [dn("alice"), "cn=ml-interns,\(groups)"]),
            group("cn=ml-interns", [dn("judy"), "cn=ml-core,\(groups)"]),
            group("cn=cycle-a", [dn("oscar"), "cn=cycle-b,\(groups)"]),
            group("cn=cycle-b", [dn("peggy"), "cn=cycle-a,\(groups)"]),
            // Written with the escaped comma of RFC 4514, matched by the config's `\2C` form.
            group("cn=Data\\, Team", [dn("zoe"), dn("jürgen.müller")]),
            // One large entry: a few thousand values in one attribute.
            group("cn=all-staff", allPeople.map { dn($0.uid) }),
            [
                ("dn", "cn=ops,\(groups)"), ("objectClass", "posixGroup"), ("cn", "ops"), ("gidNumber", "5000"),
                ("memberUid", "alice"), ("memberUid", "peggy"),
            ],
        ]
    }

    /// `name: value`, or `name:: base64` where RFC 2849 requires it (non-ASCII, leading space…).
    static func line(_ field: (String, String)) -> String { LDIFText.line(field) }
}

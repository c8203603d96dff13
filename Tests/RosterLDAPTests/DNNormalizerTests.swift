import RosterCore
import RosterLDAP
import Testing

struct DNNormalizerTests {
    let normalizer = LDAPDNNormalizer()

    @Test(arguments: [
        ("CN=Data\\2C Team,OU=x", "cn=data\\, team,ou=x"),
        ("cn=a, ou=b", "CN=A,OU=B"),
        ("uid=alice,ou=people,dc=example,dc=com", "UID=Alice , OU=People,DC=Example,DC=COM"),
        ("cn=a+sn=b,dc=x", "SN=B + CN=A,DC=X"),
        ("cn=Zoë", "CN=ZOË"),
        ("cn=Zo\\C3\\AB", "cn=zoë"),
        ("cn=Zoe\u{0308}", "cn=Zoë"),
        ("cn=\\41bc", "cn=abc"),
        ("cn=x\\+y", "CN=X\\2BY"),
    ])
    func equalForms(_ lhs: String, _ rhs: String) throws {
        #expect(try normalizer.normalize(lhs) == normalizer.normalize(rhs))
    }

    @Test(arguments: [
        ("cn=a+sn=b", "cn=a,sn=b"),
        ("ou=people2,dc=x", "ou=people,dc=x"),
        ("cn=a\\2Cb,dc=x", "cn=a\\2Bb,dc=x"),
        ("cn=zoe", "cn=zoë"),
    ])
    func differentForms(_ lhs: String, _ rhs: String) throws {
        #expect(try normalizer.normalize(lhs) != normalizer.normalize(rhs))
    }

    @Test(arguments: [
        ("CN=Data\\2C Team, OU=Groups,DC=Example,DC=Com", "cn=data\\2c team,ou=groups,dc=example,dc=com"),
        ("SN=B+CN=A , DC=X", "cn=a+sn=b,dc=x"),
        ("CN=ZOË ÅNGSTRÖM,dc=x", "cn=zoë ångström,dc=x"),
        ("", ""),
    ])
    func normalForm(_ dn: String, _ expected: String) throws {
        #expect(try normalizer.normalize(dn) == expected)
    }

    @Test(arguments: ["nonsense", "cn=a,,dc=x", "cn=x;dc=y", "cn=\\FF,dc=x", "=x"])
    func invalidDNThrowsNamingIt(_ dn: String) {
        #expect {
            try normalizer.normalize(dn)
        } throws: { error in
            "\(error)".contains("\"\(dn)\"")
        }
    }

    @Test(arguments: [
        ("uid=a,ou=people,dc=x", "ou=people,dc=x", true),
        ("UID=a, OU=People, DC=X", "ou=people,dc=x", true),
        ("ou=people,dc=x", "ou=people,dc=x", true),
        ("uid=a,ou=team,ou=people,dc=x", "ou=people,dc=x", true),
        ("uid=a,ou=people2,dc=x", "ou=people,dc=x", false),
        ("uid=a,ou=xpeople,dc=x", "ou=people,dc=x", false),
        ("cn=a\\,ou=people,dc=x", "ou=people,dc=x", false),
        ("cn=a\\5C,ou=people,dc=x", "ou=people,dc=x", true),
        ("dc=x", "ou=people,dc=x", false),
        ("uid=a,dc=y", "ou=people,dc=x", false),
        ("uid=a,dc=x", "", true),
    ])
    func underBase(_ dn: String, _ base: String, _ expected: Bool) throws {
        #expect(try normalizer.isWithin(dn, base: base) == expected)
    }
}

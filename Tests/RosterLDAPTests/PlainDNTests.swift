import RosterTestSupport
import Testing

@testable import RosterLDAP

/// Plain DNs are only folded, not parsed: for every DN the shortcut takes, libldap gives the
/// same normal form, and the shortcut leaves alone every DN that has anything libldap treats
/// specially.
struct PlainDNTests {
    @Test(arguments: [
        ("uid=alice,ou=people,dc=example,dc=com", "uid=alice,ou=people,dc=example,dc=com"),
        ("UID=Alice,OU=People,DC=Example,DC=COM", "uid=alice,ou=people,dc=example,dc=com"),
        ("cn=a_b.c-d,dc=x", "cn=a_b.c-d,dc=x"),
        ("c-n2=X", "c-n2=x"),
    ])
    func plainDNsAreFolded(_ dn: String, _ expected: String) throws {
        #expect(LDAPDNNormalizer.plainNormalized(dn) == expected)
        #expect(try LDAPDNNormalizer.parsedNormalized(dn) == expected)
    }

    @Test(arguments: [
        "", "cn", "=x", "cn=", "cn=,dc=x", "cn=a,", ",cn=a", "cn=a=b", "1cn=x", "2.5.4.3=x", "c_n=x",
        "cn=a b", "cn=a, dc=x", "cn=a+sn=b", "cn=a\\2cb", "cn=#41", "cn=\"a\"", "cn=zoë", "cn=a;dc=x",
    ])
    func otherDNsAreLeftToLibldap(_ dn: String) {
        #expect(LDAPDNNormalizer.plainNormalized(dn) == nil)
    }

    /// Random DNs of random RDNs, mostly plain, some with a character or a type that is not:
    /// wherever the shortcut answers, libldap accepts the DN and agrees.
    @Test func theShortcutAgreesWithLibldap() throws {
        let types = ["cn", "UID", "ou", "dc", "x-1", "1a", "c_n", "", "cn ", "2.5.4.3"]
        let plainCharacters = Array("aZq09-._")
        let otherCharacters = Array(" +\\#\";=,<>é")
        var generator = SeededRandom(seed: 0x5eed)
        func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }
        var taken = 0
        var left = 0
        for _ in 0..<20_000 {
            let rdns = (0..<Int(generator.next() % 4) + 1).map { _ in
                let value = String(
                    (0..<Int(generator.next() % 7)).map { _ in
                        generator.next() % 12 == 0 ? pick(otherCharacters) : pick(plainCharacters)
                    })
                return pick(types) + "=" + value
            }
            let dn = rdns.joined(separator: ",")
            guard let plain = LDAPDNNormalizer.plainNormalized(dn) else {
                left += 1
                continue
            }
            taken += 1
            #expect(try LDAPDNNormalizer.parsedNormalized(dn) == plain, "\(dn)")
        }
        #expect(taken > 2000)
        #expect(left > 2000)
    }
}

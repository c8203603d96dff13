import Testing

@testable import RosterLDAP

/// How an entry keys and keeps its attributes, as the LDAP client fills it from the server's bytes
/// and LDIF fills it from text. No server needed.
struct DirectoryEntryTests {
    private func key(bytes text: String) -> String {
        Array(text.utf8).withUnsafeBytes { DirectoryEntry.key(bytes: $0) }
    }

    @Test func keysFromBytesAreTheKeysOfTheText() {
        for name in [
            "uid", "givenName", "objectGUID;binary", "objectGUID;Binary", "cn;lang-de", "member;range=0-1499",
            "pwdAccountLockedTime", "ÄttributÉ", "",
        ] {
            #expect(key(bytes: name) == DirectoryEntry.key(name), "\(name)")
        }
        #expect(key(bytes: "GivenName") == "givenname")
        #expect(key(bytes: "objectGUID;Binary") == "objectguid")
    }

    @Test func anAttributeSentTwiceKeepsAllItsValuesUnderOneKey() {
        var entry = DirectoryEntry(dn: "uid=a,dc=x")
        entry.add("mail", values: [Array("a@x".utf8)])
        entry.add("cn", values: [Array("A".utf8)])
        entry.add("Mail", values: [Array("b@x".utf8)])
        #expect(entry.fields.map(\.key) == ["mail", "cn"])
        #expect(entry.strings("MAIL") == ["a@x", "b@x"])
        entry.remove("mail")
        #expect(entry.fields.map(\.key) == ["cn"] && entry.values("mail").isEmpty)
    }

    @Test func firstStringSkipsEmptyAndBinaryValues() {
        let entry = DirectoryEntry(dn: "uid=a,dc=x", attributes: ["cn": [[], [0x00, 0x01], Array("Ann".utf8)]])
        #expect(entry.string("cn") == "Ann")
        #expect(entry.has("cn") && !entry.has("sn") && entry.string("sn") == nil)
    }

    @Test func entriesAreEqualWhateverTheOrderOfTheirAttributes() {
        var first = DirectoryEntry(dn: "uid=a,dc=x")
        first.add("cn", values: [Array("A".utf8)])
        first.add("sn", values: [Array("B".utf8)])
        var second = DirectoryEntry(dn: "uid=a,dc=x")
        second.add("SN", values: [Array("B".utf8)])
        second.add("cn", values: [Array("A".utf8)])
        #expect(first == second && first.hashValue == second.hashValue)
        second.add("cn", values: [Array("C".utf8)])
        #expect(first != second)
    }
}

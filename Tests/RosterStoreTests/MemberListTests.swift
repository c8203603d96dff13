import Testing

@testable import RosterStore

/// The cache's member lists: length-prefixed values, whatever bytes a DN holds.
struct MemberListTests {
    @Test(arguments: [
        [String](), ["uid=ann,ou=people"], ["cn=zoë,ou=x", "", "cn=a\\2cb:c,ou=y", "1:2:3"],
    ])
    func listsComeBackAsTheyWent(_ members: [String]) {
        #expect(MemberList.decode(MemberList.encode(members)) == members)
    }

    @Test(arguments: ["x:abc", "3abc", "5:ab", "3:abc2", ":abc", "99999999999:a", "-1:a"])
    func damagedListsAreRefused(_ text: String) {
        #expect(MemberList.decode(text) == nil)
    }
}

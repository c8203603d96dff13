import Foundation
import Testing

@testable import RosterCore

/// The ASCII fast paths of the text rules give what the general (Unicode) paths give.
struct TextFastPathTests {
    @Test func asciiFoldIsFoundationsFold() {
        let ascii = String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
        #expect(LDAPText.asciiFold(ascii) == ascii.folding(options: [.caseInsensitive], locale: nil))
        #expect(LDAPText.fold("CN=Ml-Admins,OU=Groups") == "cn=ml-admins,ou=groups")
        #expect(LDAPText.asciiFold("Straße") == nil)
        #expect(LDAPText.fold("STRASSE") == LDAPText.fold("Straße"))
    }

    @Test func asciiEmailRulesAreTheUnicodeOnes() {
        let addresses = [
            "a@b.c", "a@b", "@b.c", "a@", "a@@b.c", "a@b@c.d", ".a@b.c", "a.@b.c", "a..b@c.d", "a.b@c.d", "a b@c.d",
            "a@b.c\r\n", "a\t@b.c", "a,b@c.d", "<a@b.c>", "a@-b.c", "a@b-.c", "a@b..c", "a@.b", "a@b.", "a@b.c-d",
            "A.B-C_D+E@Ex-Ample.COM", "a@b.c\u{7F}", "\u{0}@b.c", "a@b.c ",
            "@", "a", "a@.", "a@-", "a@b.-c", "a@b.c-", "..@b.c", "a.@", "a@b..", ".@b.c", "a@b.c.d", "a-@b.c",
        ]
        for address in addresses {
            #expect(EmailAddress.asciiFailure(address.utf8) == EmailAddress.unicodeFailure(address), "\(address)")
        }
        #expect(EmailAddress.problem("u0000001@bench.example") == nil)
        #expect(EmailAddress.problem("a..b@c.d")?.contains("two in a row") == true)
    }

    @Test func paddingIsFoundationsPadding() {
        for (text, length) in [("abc", 6), ("abc", 3), ("abcdef", 4), ("é😀", 5), ("😀x", 1), ("", 2)] {
            #expect(
                DisplayText.padded(text, toLength: length)
                    == text.padding(toLength: length, withPad: " ", startingAt: 0))
        }
    }

    @Test func controlCharactersAreGeneralCategoryCc() {
        for value in 0..<0x2100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a\(Character(scalar))b"
            let expected = scalar.properties.generalCategory == .control
            #expect((DisplayText.clean(text) != text) == expected, "U+\(String(value, radix: 16))")
        }
    }

    @Test func assignmentsSortByKey() {
        let origin = AssignmentOrigin.mapping(id: "m", source: "s")
        let assignments: [Assignment] = [
            .role("viewer", origin: origin), .group("b", role: .member, origin: .manual),
            .group("a", role: .admin, origin: origin), .project("p", role: .owner, origin: origin),
            .role("viewer", origin: .manual), .role("admin", project: "p", origin: origin),
        ]
        #expect(assignments.sortedByKey() == assignments.sorted { $0.key < $1.key })
        let sorted = assignments.sorted { $0.key < $1.key }
        #expect(sorted.sortedByKey() == sorted)
    }

    @Test(arguments: ["", "alice@example.com", "Ärger", "e\u{301}", "👩‍💻 dev", "tab\there", "ascii then é"])
    func characterCountIsCount(text: String) {
        #expect(DisplayText.characterCount(text) == text.count)
    }
}

import Foundation
import RosterLDAP
import Testing

struct LDIFReaderTests {
    private func entries(_ text: String) throws -> [LDIFEntry] {
        let file = try TemporaryLDIF(text)
        defer { file.remove() }
        return try LDIFReader.entries(path: file.path)
    }

    /// The error reading `text` gives, as `(line, message)`.
    private func failure(_ text: String) throws -> (line: Int?, message: String) {
        let file = try TemporaryLDIF(text)
        defer { file.remove() }
        do {
            _ = try LDIFReader.entries(path: file.path)
        } catch {
            #expect(error.path == file.path)
            #expect(error.description.hasPrefix(file.path))
            return (error.line, error.message)
        }
        Issue.record("no error for:\n\(text)")
        return (nil, "")
    }

    @Test func readsValuesFoldedLinesBase64AndLineNumbers() throws {
        let read = try entries(
            """
            # a comment
            version: 1

            # about alice
            dn: uid=alice,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            cn:: Wm/DqyDDhW5nc3Ryw7Zt
            description: one long value folded
              over two lines
            mail: alice@example.com
            objectClass: person

            dn:: dWlkPWpvc8OpLG91PXBlb3BsZSxkYz1leGFtcGxlLGRjPWNvbQ==
            uid: jose
            """)
        #expect(read.count == 2)
        let alice = try #require(read.first)
        #expect(alice.line == 5)
        #expect(alice.entry.dn == "uid=alice,ou=people,dc=example,dc=com")
        #expect(alice.entry.strings("cn") == ["Zoë Ångström"])
        #expect(alice.entry.strings("description") == ["one long value folded over two lines"])
        #expect(alice.entry.strings("OBJECTCLASS") == ["inetOrgPerson", "person"])
        #expect(read[1].line == 13)
        #expect(read[1].entry.dn == "uid=josé,ou=people,dc=example,dc=com")
    }

    @Test func readsCRLFAndAFileWithoutFinalNewline() throws {
        let read = try entries("dn: cn=a,dc=x\r\ncn: a\r\n\r\ndn: cn=b,dc=x\r\ncn: b")
        #expect(read.map(\.entry.dn) == ["cn=a,dc=x", "cn=b,dc=x"])
        #expect(read.map(\.line) == [1, 4])
        #expect(read[1].entry.strings("cn") == ["b"])
    }

    @Test func keepsBinaryValuesAsBytes() throws {
        let read = try entries("dn: cn=a,dc=x\nobjectGUID;binary:: AAECAwQFBgcICQoLDA0ODw==\n")
        #expect(read.first?.entry.values("objectGUID") == [Array(0...15)])
    }

    @Test(arguments: [
        // (LDIF, line of the error, words in the message)
        ("dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\nthis line has no colon\n", 5, "colon"),
        ("dn: cn=a,dc=x\ncn:: ***notbase64***\n", 2, "base64"),
        ("dn: cn=a,dc=x\njpegPhoto:< file:///etc/passwd\n", 2, "URL"),
        ("dn: cn=a,dc=x\ndescr\n iption:< file:///etc/passwd\n", 2, "URL"),
        ("dn: cn=a,dc=x\nchangetype: modify\nreplace: cn\ncn: b\n-\n", 2, "change records"),
        ("dn: cn=a,dc=x\ncn: a\ndn: cn=b,dc=x\ncn: b\n", 3, "blank line"),
        ("\n\ncn: a\ndn: cn=a,dc=x\n", 3, "dn:"),
    ])
    func refusesWithTheLine(_ text: String, _ line: Int, _ words: String) throws {
        let error = try failure(text)
        #expect(error.line == line)
        #expect(error.message.contains(words))
    }

    @Test func refusesInclude() throws {
        let included = try TemporaryLDIF("dn: cn=b,dc=x\ncn: b\n")
        defer { included.remove() }
        let error = try failure("dn: cn=a,dc=x\ncn: a\n\ninclude: file://\(included.path)\n\ndn: cn=c,dc=x\ncn: c\n")
        #expect(error.message.contains("include"))
    }

    @Test func missingFileNamesIt() {
        #expect {
            try LDIFReader(path: "/nonexistent/roster-test.ldif")
        } throws: { error in
            "\(error)".contains("/nonexistent/roster-test.ldif") && "\(error)".contains("No such file")
        }
    }
}

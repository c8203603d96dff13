import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

struct JSONWebTokenTests {
    @Test func base64urlRoundTripsAndRefusesPaddingAndForeignCharacters() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x10, 0x3e]
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(Base64URL.decode(text) == bytes)
        #expect(Base64URL.decode(text + "=") == nil)
        #expect(Base64URL.decode("ab+c") == nil)
        #expect(Base64URL.decode("abcde") == nil)
        #expect(Base64URL.decode("") == [])
    }

    @Test func parsesHeaderClaimsAndSigningInput() throws {
        let compact = TokenFactory().make()
        let token = try JSONWebToken(compact: compact + "\n")
        #expect(token.algorithmName == "RS256")
        #expect(token.keyID == "k1")
        #expect(token.claims["sub"] == "alice")
        let parts = compact.split(separator: ".")
        #expect(token.signingInput == Array((parts[0] + "." + parts[1]).utf8))
        #expect(token.signature.count == 256)
    }

    @Test(arguments: [
        ("a.b", "3"), ("a.b.c.d.e", "3"), ("!!.e30.c2ln", "base64url"), ("e30.e30.!!", "signature"),
        ("bnVsbA.e30.c2ln", "header is not a JSON object"), ("e30.WzFd.c2ln", "payload is not a JSON object"),
    ])
    func refusesMalformedTokens(token: String, expected: String) {
        #expect {
            _ = try JSONWebToken(compact: token)
        } throws: { error in
            let error = error as? OIDCError
            return error?.kind == .malformedToken && error!.message.contains(expected)
        }
    }

    @Test func refusesOversizedTokensBeforeDecoding() {
        let huge = String(repeating: "a", count: JSONWebToken.maximumLength + 1)
        #expect(throws: OIDCError.self) { try JSONWebToken(compact: huge) }
    }

    @Test func refusesCriticalHeaderExtensions() throws {
        let compact = TokenFactory().with { $0.header["crit"] = .array(["exp"]) }.make()
        let token = try JSONWebToken(compact: compact)
        #expect(throws: OIDCError.self) { try token.algorithm() }
    }
}

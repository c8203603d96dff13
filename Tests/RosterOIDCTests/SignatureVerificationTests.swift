import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

/// Each accepted algorithm, with keys libcrypto generated for the test, through the whole path:
/// JWK from a JWKS, key selection, signature, claims.
struct SignatureVerificationTests {
    static let policy = TokenClaimsPolicy(issuer: TokenFactory.issuer, audiences: ["roster"])

    static func provider(_ transport: FakeTransport) -> OIDCProvider {
        OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: { TokenFactory.now })
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func verifiesEachAcceptedAlgorithm(_ algorithm: SignatureAlgorithm) async throws {
        let key = TestSigningKey.key(for: algorithm)
        let transport = FakeTransport(keys: [key.jwk(kid: "k1")])
        let token = TokenFactory(key: key, algorithm: algorithm).make()
        let verified = try await Self.provider(transport).verify(token, policy: Self.policy)
        #expect(verified.subject == "alice")
        #expect(verified.claims["email"] == "alice@example.com")
        #expect(verified.expiresAt == TokenFactory.now.addingTimeInterval(3600))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func refusesAFlippedSignatureBit(_ algorithm: SignatureAlgorithm) async throws {
        let key = TestSigningKey.key(for: algorithm)
        let factory = TokenFactory(key: key, algorithm: algorithm)
        let input = factory.signingInput()
        var signature = key.sign(Array(input.utf8), algorithm)
        signature[signature.count / 2] ^= 0x01
        let transport = FakeTransport(keys: [key.jwk(kid: "k1")])
        await #expect {
            _ = try await Self.provider(transport).verify(
                input + "." + Base64URL.encode(signature), policy: Self.policy)
        } throws: { ($0 as? OIDCError)?.kind == .badSignature }
    }

    @Test func publicKeyRefusesAPSSSignatureUnderPKCS1AndTheOtherWayRound() throws {
        let message = Array("header.payload".utf8)
        let jwk = TestSigningKey.rsa.jwk(kid: nil)
        let key = try #require(try JSONWebKey(json: jwk)).key
        let pss = TestSigningKey.rsa.sign(message, .ps256)
        let pkcs1 = TestSigningKey.rsa.sign(message, .rs256)
        #expect(try key.verify(signature: pss, of: message, algorithm: .ps256))
        #expect(try key.verify(signature: pkcs1, of: message, algorithm: .rs256))
        #expect(try !key.verify(signature: pss, of: message, algorithm: .rs256))
        #expect(try !key.verify(signature: pkcs1, of: message, algorithm: .ps256))
        #expect(try !key.verify(signature: pkcs1, of: message, algorithm: .rs384))
    }

    @Test func ecdsaSignatureOfTheWrongWidthDoesNotVerify() throws {
        let message = Array("header.payload".utf8)
        let key = try #require(try JSONWebKey(json: TestSigningKey.p256.jwk(kid: nil))).key
        let signature = TestSigningKey.p256.sign(message, .es256)
        #expect(try key.verify(signature: signature, of: message, algorithm: .es256))
        #expect(try !key.verify(signature: Array(signature.dropLast()), of: message, algorithm: .es256))
    }

    @Test func keysFitOnlyTheirAlgorithms() throws {
        let rsa = try #require(try JSONWebKey(json: TestSigningKey.rsa.jwk(kid: "r", alg: "RS256")))
        #expect(rsa.fits(.rs256))
        #expect(!rsa.fits(.ps256))
        #expect(!rsa.fits(.es256))
        let p384 = try #require(try JSONWebKey(json: TestSigningKey.p384.jwk(kid: "e")))
        #expect(p384.fits(.es384))
        #expect(!p384.fits(.es256))
        let ed = try #require(try JSONWebKey(json: TestSigningKey.ed25519.jwk(kid: "o")))
        #expect(ed.fits(.edDSA))
    }

    @Test func skipsKeysThatCannotSignIDTokens() throws {
        let document: JSONValue = .object([
            "keys": .array([
                .object(["kty": "oct", "k": "c2VjcmV0", "kid": "hmac"]),
                TestSigningKey.rsa.jwk(kid: "enc", use: "enc"),
                .object(["kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA", "kid": "short"]),
                TestSigningKey.rsa.jwk(kid: "sig", use: "sig"),
            ])
        ])
        #expect(try JSONWebKey.keySet(document).map(\.keyID) == ["sig"])
    }

    @Test func refusesRSAKeysBelow2048Bits() {
        // A 1024-bit modulus (any odd number of that size will do for the size check).
        let modulus = [UInt8](repeating: 0xff, count: 128)
        let jwk: JSONValue = .object(["kty": "RSA", "n": .string(Base64URL.encode(modulus)), "e": "AQAB"])
        #expect(throws: OIDCError.self) { try JSONWebKey(json: jwk) }
    }
}

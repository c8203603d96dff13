import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

/// The negative battery: every token here must be refused, with a message saying why.
struct TokenRefusalTests {
    let transport = FakeTransport()
    var provider: OIDCProvider {
        OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: { TokenFactory.now })
    }
    let policy = TokenClaimsPolicy(issuer: TokenFactory.issuer, audiences: ["roster", "platform-web"])
    let now = Int64(TokenFactory.now.timeIntervalSince1970)

    func expectRefused(
        _ token: String, _ kind: OIDCError.Kind, _ words: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            let verified = try await provider.verify(token, policy: policy)
            Issue.record(
                "accepted a token that must be refused: sub \(verified.subject)", sourceLocation: sourceLocation)
        } catch let error as OIDCError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(words), "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.hasPrefix("the ID token is refused: "), sourceLocation: sourceLocation)
            #expect(!error.message.contains(token), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func algNoneIsRefused() async {
        let unsigned = TokenFactory().signingInput(algorithmName: "none") + "."
        await expectRefused(unsigned, .algorithmRefused, "alg none")
        let spelled = TokenFactory().with { $0.header["alg"] = "NoNe" }.signingInput() + "."
        await expectRefused(spelled, .algorithmRefused, "alg none")
    }

    @Test func hs256SignedWithThePublicKeyIsRefused() async {
        // The classic confusion attack: the issuer's public key used as an HMAC secret.
        let publicKey = Array(TestSigningKey.rsa.jwk(kid: "k1").canonicalData)
        let input = TokenFactory().signingInput(algorithmName: "HS256")
        let forged = input + "." + Base64URL.encode(TestSigningKey.hmacSHA256(Array(input.utf8), secret: publicKey))
        await expectRefused(forged, .algorithmRefused, "HMAC")
        for name in ["HS384", "HS512"] {
            await expectRefused(TokenFactory().signingInput(algorithmName: name) + ".c2ln", .algorithmRefused, name)
        }
    }

    @Test func unknownAlgorithmsAreRefused() async {
        await expectRefused(TokenFactory().signingInput(algorithmName: "ES512") + ".c2ln", .algorithmRefused, "ES512")
    }

    @Test func aSignatureByAnotherKeyIsRefused() async {
        let forged = TokenFactory(key: .otherRSA).make()
        await expectRefused(forged, .badSignature, "does not verify with the issuer's key k1")
    }

    @Test func alteredClaimsAreRefused() async {
        let genuine = TokenFactory().make().split(separator: ".")
        let elevated = TokenFactory().with { $0.claims["groups"] = .array(["admins", "root"]) }.signingInput()
        let tampered = elevated.split(separator: ".")[1]
        await expectRefused([genuine[0], tampered, genuine[2]].joined(separator: "."), .badSignature, "signature")
    }

    @Test func aTruncatedTokenIsRefused() async {
        let token = TokenFactory().make()
        await expectRefused(String(token.dropLast(10)), .badSignature, "signature")
        let cut = String(token[..<token.lastIndex(of: ".")!])
        await expectRefused(cut, .malformedToken, "2 dot-separated parts")
    }

    @Test func aWrongIssuerIsRefused() async {
        let token = TokenFactory().with { $0.claims["iss"] = "https://evil.example.com" }.make()
        await expectRefused(token, .claimRefused, "issuer \"https://evil.example.com\" is not the configured issuer")
        let trailing = TokenFactory().with { $0.claims["iss"] = .string(TokenFactory.issuer + "/") }.make()
        await expectRefused(trailing, .claimRefused, "not the configured issuer")
    }

    @Test func aWrongAudienceIsRefused() async {
        await expectRefused(
            TokenFactory().with { $0.claims["aud"] = "another-app" }.make(), .claimRefused,
            "none of the configured audiences")
        await expectRefused(
            TokenFactory().with { $0.claims["aud"] = .array([]) }.make(), .claimRefused, "aud claim is missing")
    }

    @Test func severalAudiencesNeedAConfiguredAuthorizedParty() async throws {
        let several = TokenFactory().with { $0.claims["aud"] = .array(["roster", "platform-web"]) }
        await expectRefused(several.make(), .claimRefused, "no azp")
        await expectRefused(
            several.with { $0.claims["azp"] = "stranger" }.make(), .claimRefused, "issued to client stranger")
        let verified = try await provider.verify(
            several.with { $0.claims["azp"] = "platform-web" }.make(), policy: policy)
        #expect(verified.authorizedParty == "platform-web")
    }

    @Test func anExpiredTokenIsRefusedAfterTheSkew() async throws {
        await expectRefused(
            TokenFactory().with { $0.claims["exp"] = .int(now - 61) }.make(), .claimRefused, "expired at")
        _ = try await provider.verify(TokenFactory().with { $0.claims["exp"] = .int(now - 59) }.make(), policy: policy)
        await expectRefused(TokenFactory().with { $0.claims["exp"] = nil }.make(), .claimRefused, "no exp")
        await expectRefused(TokenFactory().with { $0.claims["exp"] = "soon" }.make(), .claimRefused, "not a number")
    }

    @Test func aTokenNotYetValidIsRefusedBeyondTheSkew() async throws {
        await expectRefused(
            TokenFactory().with { $0.claims["nbf"] = .int(now + 61) }.make(), .claimRefused, "not valid before")
        _ = try await provider.verify(TokenFactory().with { $0.claims["nbf"] = .int(now + 59) }.make(), policy: policy)
    }

    @Test func aTokenIssuedInTheFutureOrWithoutIatIsRefused() async {
        await expectRefused(
            TokenFactory().with { $0.claims["iat"] = .int(now + 120) }.make(), .claimRefused, "issued in the future")
        await expectRefused(TokenFactory().with { $0.claims["iat"] = nil }.make(), .claimRefused, "no iat")
    }

    @Test func aTokenWithoutSubjectIsRefused() async {
        await expectRefused(TokenFactory().with { $0.claims["sub"] = "" }.make(), .claimRefused, "no sub")
    }

    @Test func anUnknownKeyIdIsRefusedAfterOneRefetch() async {
        let token = TokenFactory().with { $0.kid = "k9" }.make()
        await expectRefused(token, .unknownKey, "key id \"k9\"")
        #expect(transport.requests(to: FakeTransport.jwksURL).count == 1)
    }
}

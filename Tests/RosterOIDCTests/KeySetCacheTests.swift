import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

/// The JWKS cache: refetched on an unknown `kid` (a rotation), at most once a minute, keeping the
/// known keys when a refetch fails.
struct KeySetCacheTests {
    let transport = FakeTransport(keys: [TestSigningKey.rsa.jwk(kid: "k1")])
    let clock = TestClock()
    let policy = TokenClaimsPolicy(issuer: TokenFactory.issuer, audiences: ["roster"])

    var jwksFetches: Int { transport.requests(to: FakeTransport.jwksURL).count }

    func token(_ kid: String?, key: TestSigningKey = .rsa) -> String {
        TokenFactory(key: key, kid: kid).with {
            $0.claims["iat"] = .int(Int64(clock.now.timeIntervalSince1970))
            $0.claims["exp"] = .int(Int64(clock.now.timeIntervalSince1970) + 3600)
        }.make()
    }

    @Test func aRotatedKeyIsFetchedOnItsFirstToken() async throws {
        let provider = OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function)
        _ = try await provider.verify(token("k1"), policy: policy)
        _ = try await provider.verify(token("k1"), policy: policy)
        #expect(jwksFetches == 1)

        clock.advance(120)
        transport.publish([TestSigningKey.rsa.jwk(kid: "k1"), TestSigningKey.otherRSA.jwk(kid: "k2")])
        _ = try await provider.verify(token("k2", key: .otherRSA), policy: policy)
        #expect(jwksFetches == 2)
    }

    @Test func unknownKeyIdsRefetchAtMostOnceAMinute() async throws {
        let provider = OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function)
        _ = try await provider.verify(token("k1"), policy: policy)
        await #expect(throws: OIDCError.self) { try await provider.verify(token("k7"), policy: policy) }
        await #expect(throws: OIDCError.self) { try await provider.verify(token("k8"), policy: policy) }
        // The first token fetched the keys; the unknown kids within the minute fetch nothing more.
        #expect(jwksFetches == 1)
        clock.advance(61)
        await #expect(throws: OIDCError.self) { try await provider.verify(token("k9"), policy: policy) }
        #expect(jwksFetches == 2)
    }

    @Test func knownKeysStayWhenARefetchFails() async throws {
        let provider = OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function)
        _ = try await provider.verify(token("k1"), policy: policy)
        transport.on(FakeTransport.jwksURL) { _ in .json(["error": "down"], status: 503) }
        clock.advance(61)
        await #expect {
            try await provider.verify(token("k2", key: .otherRSA), policy: policy)
        } throws: { error in
            let message = (error as? OIDCError)?.message ?? ""
            return message.contains("k2") && message.contains("503")
        }
        #expect(jwksFetches == 2)
        _ = try await provider.verify(token("k1"), policy: policy)
    }

    @Test func aTokenWithoutKidIsTriedWithEveryKeyOfItsType() async throws {
        transport.publish([
            TestSigningKey.otherRSA.jwk(kid: "a"), TestSigningKey.p256.jwk(kid: "b"), TestSigningKey.rsa.jwk(kid: "c"),
        ])
        let provider = OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function)
        let verified = try await provider.verify(token(nil), policy: policy)
        #expect(verified.subject == "alice")
        let es256 = TokenFactory(key: .p256, algorithm: .es256, kid: nil).with {
            $0.claims["iat"] = .int(Int64(clock.now.timeIntervalSince1970))
        }.make()
        _ = try await provider.verify(es256, policy: policy)
    }

    @Test func theDiscoveryDocumentMustNameTheConfiguredIssuer() async {
        transport.on(ProviderMetadata.discoveryURL(of: TokenFactory.issuer)) { _ in
            .json(["issuer": "https://idp.example.com/realms/other", "jwks_uri": .string(FakeTransport.jwksURL)])
        }
        let provider = OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function)
        await #expect {
            try await provider.verify(token("k1"), policy: policy)
        } throws: { error in
            (error as? OIDCError)?.kind == .discovery
                && "\(error)".contains("names the issuer \"https://idp.example.com/realms/other\"")
        }
    }

    @Test func discoveryRefusesPlainHTTPEndpointsForAnHTTPSIssuer() {
        let document: JSONValue = .object([
            "issuer": .string(TokenFactory.issuer), "jwks_uri": "http://idp.example.com/keys",
        ])
        #expect(throws: OIDCError.self) {
            try ProviderMetadata(document: document, expectedIssuer: TokenFactory.issuer)
        }
    }
}

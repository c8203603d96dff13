import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

/// The periodic pull: stored refresh tokens redeemed at the token endpoint, each answer handled
/// by kind, against a fake provider and an in-memory grant store. A class, so that each test's
/// key file is removed when the test ends.
final class OIDCSourceRefreshTests {
    let transport = FakeTransport()
    let clock = TestClock()
    let keyFile: String
    let sealer: RefreshTokenSealer
    let options: OIDCSourceOptions

    init() throws {
        let key = Array(repeating: UInt8(42), count: 32)
        keyFile = try SecretsAtRestTests.write(Data(key), mode: 0o600)
        sealer = RefreshTokenSealer(key: try TokenKey(bytes: key))
        options = OIDCSourceOptions(
            issuer: TokenFactory.issuer, clientID: "roster", audience: ["roster"],
            claimsMaxAge: .seconds(24 * 3600), refreshEvery: .seconds(3600), tokenKeyFile: keyFile)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: keyFile)
    }

    func grant(_ subject: String, token: String = "rt-old", age: TimeInterval = 7200, groups: [String] = ["admins"])
        throws -> OIDCGrant
    {
        OIDCGrant(
            source: "okta", subject: subject,
            sealedRefreshToken: try sealer.seal(token, source: "okta", subject: subject),
            claims: .object([
                "sub": .string(subject), "email": .string("\(subject)@example.com"), "groups": .strings(groups),
            ]), claimsAt: clock.now.addingTimeInterval(-age))
    }

    func source(_ store: FakeGrantStore, mayRedeem: Bool = true) -> OIDCSource {
        var source = OIDCSource(
            name: "okta", options: options,
            provider: OIDCProvider(issuer: TokenFactory.issuer, transport: transport, clock: clock.function),
            transport: transport, openStore: { store }, mayRedeem: { mayRedeem }, clock: clock.function)
        source.maxStartDelay = .zero
        return source
    }

    /// The token endpoint answers with `answer` for every redemption.
    func tokenEndpoint(_ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        transport.on(FakeTransport.tokenURL, answer)
    }

    func userinfo(_ claims: [String: JSONValue]) {
        transport.on(FakeTransport.userinfoURL) { request in
            #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer at-new" })
            return .json(claims)
        }
    }

    @Test func aDueTokenIsRedeemedAndUserinfoGivesTheNewClaims() async throws {
        let store = FakeGrantStore([try grant("alice"), try grant("bob", age: 60)])
        tokenEndpoint { request in
            #expect(request.field("grant_type") == "refresh_token")
            #expect(request.field("refresh_token") == "rt-old")
            return .json(["access_token": "at-new", "token_type": "Bearer"])
        }
        userinfo(["sub": "alice", "email": "alice@example.com", "groups": .array(["editors"])])
        let snapshot = await source(store).read()
        #expect(snapshot.complete)
        #expect(Set(snapshot.users.map(\.externalID)) == ["alice", "bob"])
        let alice = try #require(snapshot.users.first { $0.externalID == "alice" })
        #expect(alice.claims?["groups"] == .array(["editors"]))
        // bob signed in a minute ago: not due.
        #expect(transport.requests(to: FakeTransport.tokenURL).count == 1)
        #expect(store.log == ["claims alice"])
    }

    @Test func aRotatedTokenIsStoredBeforeTheClaims() async throws {
        let store = FakeGrantStore([try grant("alice")])
        tokenEndpoint { _ in .json(["access_token": "at-new", "refresh_token": "rt-rotated"]) }
        userinfo(["sub": "alice", "groups": .array(["editors"])])
        _ = await source(store).read()
        #expect(store.log == ["token alice", "claims alice"])
        let sealed = try #require(store.grants["alice"]?.sealedRefreshToken)
        #expect(try sealer.open(sealed, source: "okta", subject: "alice") == "rt-rotated")
    }

    @Test func aReturnedIDTokenIsVerifiedAndPreferredOverUserinfo() async throws {
        let store = FakeGrantStore([try grant("alice")])
        let idToken = TokenFactory().with {
            $0.claims["groups"] = .array(["proj-x-owners"])
            $0.claims["iat"] = .int(Int64(clock.now.timeIntervalSince1970))
        }.make()
        tokenEndpoint { _ in .json(["access_token": "at-new", "id_token": .string(idToken)]) }
        let snapshot = await source(store).read()
        #expect(snapshot.users.first?.claims?["groups"] == .array(["proj-x-owners"]))
        #expect(transport.requests(to: FakeTransport.userinfoURL).isEmpty)
    }

    @Test func claimsForAnotherSubjectAreNotTaken() async throws {
        let store = FakeGrantStore([try grant("alice")])
        tokenEndpoint { _ in .json(["access_token": "at-new"]) }
        userinfo(["sub": "mallory", "groups": .array(["admins", "root"])])
        let snapshot = await source(store).read()
        #expect(snapshot.users.first?.claims?["groups"] == .array(["admins"]))
        #expect(store.log == ["stale alice"])
        #expect(snapshot.warnings.contains { $0.contains("stale") && $0.contains("mallory") })
    }

    @Test func invalidGrantWithdrawsTheUserAndAuditsIt() async throws {
        let store = FakeGrantStore([try grant("alice"), try grant("bob", age: 60)])
        tokenEndpoint { _ in
            .json(["error": "invalid_grant", "error_description": "token rt-old revoked"], status: 400)
        }
        let snapshot = await source(store).read()
        #expect(snapshot.complete)
        #expect(snapshot.users.map(\.externalID) == ["bob"])
        #expect(snapshot.withdrawn["alice"]?.contains("invalid_grant") == true)
        #expect(store.grants["alice"]?.sealedRefreshToken == nil)
        let event = try #require(store.audit.first)
        #expect(event.action == "oidc.refresh_failed")
        // The issuer's description echoed the token: it is scrubbed from every record.
        #expect(!event.reason!.canonicalString.contains("rt-old"))
        #expect(!snapshot.withdrawn["alice"]!.contains("rt-old"))
    }

    @Test func invalidClientFreezesTheSourceAndTouchesNobody() async throws {
        let store = FakeGrantStore([try grant("alice"), try grant("bob")])
        tokenEndpoint { _ in .json(["error": "invalid_client"], status: 401) }
        let snapshot = await source(store).read()
        #expect(!snapshot.complete)
        #expect(snapshot.problem?.contains("rejected client roster (invalid_client)") == true)
        #expect(store.log.isEmpty)
        #expect(store.audit.isEmpty)
    }

    @Test(arguments: [500, 503, 429])
    func serverErrorsKeepTheLastClaimsMarkedStale(status: Int) async throws {
        let store = FakeGrantStore([try grant("alice")])
        tokenEndpoint { _ in HTTPResponse(status: status, body: Data("busy".utf8), url: "") }
        let snapshot = await source(store).read()
        #expect(snapshot.complete)
        #expect(snapshot.users.first?.claims?["groups"] == .array(["admins"]))
        #expect(store.grants["alice"]?.stale == true)
        #expect(snapshot.warnings.contains { $0.contains("HTTP \(status)") })
    }

    @Test func anUnreachableIssuerKeepsTheLastClaimsMarkedStale() async throws {
        let store = FakeGrantStore([try grant("alice")])
        transport.on(ProviderMetadata.discoveryURL(of: TokenFactory.issuer)) { request in
            throw HTTPError(kind: .timeout, url: request.displayURL, message: "did not answer in time")
        }
        let snapshot = await source(store).read()
        #expect(snapshot.complete)
        #expect(snapshot.users.count == 1)
        #expect(store.log == ["stale alice"])
    }

    @Test func claimsOlderThanTheMaximumAgeGrantNothing() async throws {
        let store = FakeGrantStore([try grant("alice", age: 25 * 3600)])
        tokenEndpoint { _ in HTTPResponse(status: 502, body: Data(), url: "") }
        let snapshot = await source(store).read()
        #expect(snapshot.users.isEmpty)
        #expect(snapshot.withdrawn["alice"]?.contains("claims_max_age") == true)
    }

    @Test func anOverageMarkerNeverRemovesGroups() async throws {
        let store = FakeGrantStore([try grant("alice", groups: ["admins", "proj-x-owners"])])
        tokenEndpoint { _ in .json(["access_token": "at-new"]) }
        userinfo(["sub": "alice", "hasgroups": .bool(true)])
        let snapshot = await source(store).read()
        #expect(snapshot.users.first?.claims?["groups"] == .array(["admins", "proj-x-owners"]))
    }

    @Test func withoutTheLockNothingIsRedeemed() async throws {
        let store = FakeGrantStore([try grant("alice")])
        let snapshot = await source(store, mayRedeem: false).read()
        #expect(transport.requests(to: FakeTransport.tokenURL).isEmpty)
        #expect(snapshot.users.count == 1)
        #expect(snapshot.warnings.contains { $0.contains("due for a refresh") })
    }

    @Test func clientCredentialsGoInTheBasicHeader() async throws {
        let secretFile = try SecretsAtRestTests.write(Data("s3cr:t\n".utf8), mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let store = FakeGrantStore([try grant("alice")])
        tokenEndpoint { _ in .json(["access_token": "at-new"]) }
        userinfo(["sub": "alice"])
        var withSecret = source(store)
        withSecret = OIDCSource(
            name: "okta",
            options: {
                var options = options
                options.clientSecretFile = secretFile
                return options
            }(), provider: withSecret.provider, transport: transport, openStore: { store }, mayRedeem: { true },
            clock: clock.function)
        withSecret.maxStartDelay = .zero
        _ = await withSecret.read()
        let request = try #require(transport.requests(to: FakeTransport.tokenURL).first)
        let expected = "Basic " + Data("roster:s3cr%3At".utf8).base64EncodedString()
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == expected })
        #expect(request.field("client_secret") == nil)
    }
}

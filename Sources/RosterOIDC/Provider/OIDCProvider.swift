import Foundation
import RosterCore

/// One issuer as Roster talks to it: its discovery document and its signing keys, cached, and the
/// verification of ID tokens against them.
///
/// Keys are refetched when a token names an unknown `kid` (a key rotation), at most once per
/// `keyRefetchInterval`, so a stream of forged `kid`s cannot make Roster hammer the issuer; when a
/// refetch fails, the keys already known stay in use.
public actor OIDCProvider {
    public nonisolated let issuer: String
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    public static let keyRefetchInterval: TimeInterval = 60
    /// Discovery documents change rarely; a long-running daemon reads it again after this.
    public static let metadataLifetime: TimeInterval = 3600

    private var metadata: ProviderMetadata?
    private var metadataFetchedAt: Date?
    private var keys: [JSONWebKey] = []
    private var lastKeyFetch: Date?
    /// Why the latest JWKS fetch failed, nil after a success.
    private var keyFetchError: (any Error)?
    private var keyFetch: Task<Void, Never>?

    public init(issuer: String, transport: any HTTPTransport, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.issuer = issuer
        self.transport = transport
        self.clock = clock
    }

    // MARK: - Discovery

    /// The discovery document, fetched on first use and after `metadataLifetime`.
    public func providerMetadata() async throws -> ProviderMetadata {
        if let metadata, let fetched = metadataFetchedAt,
            clock().timeIntervalSince(fetched) < Self.metadataLifetime
        {
            return metadata
        }
        let response = try await get(ProviderMetadata.discoveryURL(of: issuer))
        let fresh = try ProviderMetadata(document: try response.json(), expectedIssuer: issuer)
        metadata = fresh
        metadataFetchedAt = clock()
        return fresh
    }

    // MARK: - Verification

    /// Verifies a compact ID token: an accepted algorithm, a signature by one of the issuer's keys,
    /// then the claims of `policy` at the current time.
    public func verify(_ compact: String, policy: TokenClaimsPolicy) async throws -> VerifiedIDToken {
        let token = try JSONWebToken(compact: compact)
        let algorithm = try token.algorithm()
        let candidates = try await keys(for: token.keyID, algorithm: algorithm)
        var verified = false
        for candidate in candidates
        where try candidate.key.verify(signature: token.signature, of: token.signingInput, algorithm: algorithm) {
            verified = true
            break
        }
        guard verified else {
            let which = token.keyID.map { "the issuer's key \($0)" } ?? "any of the issuer's \(algorithm.keyType) keys"
            throw OIDCError.token(
                .badSignature,
                "its \(algorithm.rawValue) signature does not verify with \(which); it was altered or "
                    + "not issued by \(issuer)")
        }
        return try policy.validate(token.claims, now: clock())
    }

    /// The keys to try: the one with `kid`, or every key of the algorithm's type when the token
    /// names none. Refetches the JWKS (rate-limited) when nothing fits.
    func keys(for kid: String?, algorithm: SignatureAlgorithm) async throws -> [JSONWebKey] {
        func fitting() -> [JSONWebKey] {
            keys.filter { $0.fits(algorithm) && (kid == nil || $0.keyID == kid) }
        }
        if lastKeyFetch == nil || fitting().isEmpty {
            await refreshKeys()
        }
        let found = fitting()
        guard found.isEmpty else { return found }
        // With no key at all there is nothing to fall back on: the fetch's own error says why.
        if keys.isEmpty, let keyFetchError { throw keyFetchError }
        let problem = keyFetchError.map { "; fetching the JWKS again failed: \($0)" } ?? ""
        if let kid {
            throw OIDCError.token(
                .unknownKey,
                "its key id \"\(kid)\" is not among the issuer's \(algorithm.rawValue) signing keys, even after "
                    + "fetching them again\(problem)")
        }
        throw OIDCError.token(
            .unknownKey, "the issuer publishes no \(algorithm.keyType) key for \(algorithm.rawValue)\(problem)")
    }

    /// Fetches the JWKS unless it was fetched less than `keyRefetchInterval` ago; callers arriving
    /// during a fetch wait for it. A failed fetch keeps the keys already known.
    private func refreshKeys() async {
        if let keyFetch {
            await keyFetch.value
            return
        }
        let now = clock()
        if let lastKeyFetch, now.timeIntervalSince(lastKeyFetch) < Self.keyRefetchInterval { return }
        lastKeyFetch = now
        let fetch = Task { await self.fetchKeys() }
        keyFetch = fetch
        await fetch.value
        keyFetch = nil
    }

    private func fetchKeys() async {
        do {
            let metadata = try await providerMetadata()
            keys = try JSONWebKey.keySet(try await get(metadata.jwksURI).json())
            keyFetchError = nil
        } catch {
            keyFetchError = error
        }
    }

    private func get(_ url: String) async throws -> HTTPResponse {
        let response = try await transport.send(HTTPRequest(.get, url))
        guard response.status == 200 else {
            throw OIDCError(.transport, "\(response.url) answered HTTP \(response.status); expected 200")
        }
        return response
    }
}

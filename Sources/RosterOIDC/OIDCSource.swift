import Foundation
import RosterCore

/// A `type: oidc` source. Its users are the people who signed in (`roster oidc login`), with the
/// claims the issuer last confirmed; a read first redeems the stored refresh tokens that are due
/// (older than `refresh_every`, with jitter) to bring those claims up to date.
///
/// Tokens are redeemed only when `mayRedeem` says so (a run holding the directory lock): an issuer
/// may rotate a token on use, so a dry run, or a second process, must not redeem it.
public struct OIDCSource: IdentitySource {
    public let name: String
    public let options: OIDCSourceOptions
    let provider: OIDCProvider
    let transport: any HTTPTransport
    /// The grant store; nil when there is no directory yet (so nobody has signed in).
    let openStore: @Sendable () throws -> (any OIDCGrantStore)?
    let mayRedeem: @Sendable () -> Bool
    let clock: @Sendable () -> Date
    /// Redemptions in flight at once.
    public var maxConcurrentRefreshes = 4
    /// Each redemption waits a random delay up to this first.
    public var maxStartDelay: Duration = .milliseconds(200)

    public init(
        name: String, options: OIDCSourceOptions, provider: OIDCProvider, transport: any HTTPTransport,
        openStore: @escaping @Sendable () throws -> (any OIDCGrantStore)?, mayRedeem: @escaping @Sendable () -> Bool,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.options = options
        self.provider = provider
        self.transport = transport
        self.openStore = openStore
        self.mayRedeem = mayRedeem
        self.clock = clock
    }

    public func read() async -> SourceSnapshot {
        let started = clock()
        let builder = GrantSnapshotBuilder(source: name, options: options)
        func seconds() -> Double { clock().timeIntervalSince(started) }
        do {
            guard let store = try openStore() else { return builder.snapshot([], now: started) }
            var grants = try store.oidcGrants(source: name)
            var warnings: [String] = []
            let due = dueGrants(grants, now: started)
            if !due.isEmpty {
                if mayRedeem() {
                    if let problem = try await refresh(due, of: &grants, store: store, warnings: &warnings) {
                        return .failed(name, problem: problem, readSeconds: seconds())
                    }
                } else {
                    warnings.append(
                        "the claims of \(due.count) \(due.count == 1 ? "user are" : "users are") due for a refresh, "
                            + "which only a run holding the directory lock does (a dry run never redeems refresh tokens)"
                    )
                }
            }
            return builder.snapshot(grants, now: clock(), warnings: warnings, readSeconds: seconds())
        } catch {
            return .failed(name, problem: "\(error)", readSeconds: seconds())
        }
    }

    /// Indexes of grants whose refresh token is due: claims older than `refresh_every`, less a
    /// random tenth so that users who signed in together are not all refreshed in one run.
    func dueGrants(_ grants: [OIDCGrant], now: Date) -> [Int] {
        grants.indices.filter { index in
            let grant = grants[index]
            guard grant.withdrawnAt == nil, grant.sealedRefreshToken != nil else { return false }
            let threshold = options.refreshEvery.seconds * Double.random(in: 0.9...1.0)
            return now.timeIntervalSince(grant.claimsAt) >= threshold
        }
    }

    /// Redeems the due tokens and records each outcome as it arrives; returns the problem that
    /// freezes the source (Roster's client is rejected, the issuer is misconfigured), or nil.
    private func refresh(
        _ due: [Int], of grants: inout [OIDCGrant], store: any OIDCGrantStore, warnings: inout [String]
    ) async throws -> String? {
        guard let keyFile = options.tokenKeyFile else {
            return
                "stored refresh tokens cannot be read without token_key_file; set it to the key they were sealed with"
        }
        let sealer = RefreshTokenSealer(
            key: try TokenKey(contentsOf: keyFile, setting: "sources.\(name).token_key_file"))
        let secret = try options.clientSecretFile.map(Self.readSecret)
        let metadata: ProviderMetadata
        do {
            metadata = try await provider.providerMetadata()
        } catch let error as OIDCError where error.kind == .discovery {
            return error.message
        } catch {
            // The issuer is down or slow: everyone keeps their last known claims, marked stale.
            for index in due {
                try store.markStale(source: name, subject: grants[index].subject, problem: "\(error)", now: clock())
                grants[index].stale = true
                grants[index].problem = "\(error)"
            }
            warnings.append("the issuer could not be asked for fresh claims: \(error)")
            return nil
        }
        var work: [GrantRefresher.Work] = []
        for index in due {
            let grant = grants[index]
            do {
                let token = try sealer.open(grant.sealedRefreshToken ?? [], source: name, subject: grant.subject)
                work.append(.init(subject: grant.subject, refreshToken: token, previousClaims: grant.claims))
            } catch {
                try store.markStale(source: name, subject: grant.subject, problem: "\(error)", now: clock())
                grants[index].stale = true
                grants[index].problem = "\(error)"
            }
        }
        let refresher = GrantRefresher(
            client: TokenEndpointClient(
                transport: transport, metadata: metadata, clientID: options.clientID, clientSecret: secret),
            provider: provider, policy: TokenClaimsPolicy(issuer: options.issuer, audiences: options.audience),
            groupsPath: options.claims.groups, maxConcurrent: maxConcurrentRefreshes, maxStartDelay: maxStartDelay)
        var rejection: String?
        try await refresher.run(work) { result in
            guard let index = grants.firstIndex(where: { $0.subject == result.subject }) else { return }
            if case .clientRejected(let reason) = result.verdict {
                rejection = rejection ?? reason
            } else {
                try record(result, in: &grants[index], store: store, sealer: sealer)
            }
        }
        return rejection
    }

    /// Stores one outcome: a rotated token first (the old one may already be dead), then the verdict.
    private func record(
        _ result: RefreshResult, in grant: inout OIDCGrant, store: any OIDCGrantStore, sealer: RefreshTokenSealer
    ) throws {
        let now = clock()
        if let rotated = result.rotatedToken {
            let sealed = try sealer.seal(rotated, source: name, subject: grant.subject)
            try store.storeRefreshToken(source: name, subject: grant.subject, sealed: sealed, now: now)
            grant.sealedRefreshToken = sealed
        }
        switch result.verdict {
        case .confirmed(let claims):
            try store.storeConfirmedClaims(source: name, subject: grant.subject, claims: claims, now: now)
            grant.claims = claims
            grant.claimsAt = now
            grant.stale = false
            grant.problem = nil
        case .withdrawn(let reason):
            let externalID = ClaimsMapping(source: name, map: options.claims).externalID(grant.claims) ?? grant.subject
            try store.withdraw(
                source: name, subject: grant.subject, externalID: externalID, problem: reason,
                event: refreshFailedEvent(subject: grant.subject, reason: reason), now: now)
            grant.withdrawnAt = now
            grant.sealedRefreshToken = nil
            grant.problem = reason
        case .stale(let reason):
            try store.markStale(source: name, subject: grant.subject, problem: reason, now: now)
            grant.stale = true
            grant.problem = reason
        case .clientRejected:
            break
        }
    }

    private func refreshFailedEvent(subject: String, reason: String) -> AuditEvent {
        AuditEvent(
            action: "oidc.refresh_failed", actor: "sync",
            reason: .object([
                "source": .string(name), "subject": .string(subject), "error": .string("invalid_grant"),
                "message": .string(reason),
                "note": .string("the issuer no longer vouches for the user: the grants from \(name) go"),
            ]))
    }

    /// The client secret: the file's content without surrounding whitespace.
    static func readSecret(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OIDCError(.configuration, "client_secret_file \(path) cannot be read; check the path and its owner")
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw OIDCError(.configuration, "client_secret_file \(path) is empty") }
        return secret
    }
}

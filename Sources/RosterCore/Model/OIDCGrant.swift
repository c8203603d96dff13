import Foundation

/// What Roster keeps about one person an OIDC issuer vouched for: the claims it last confirmed
/// and, sealed, the refresh token that lets Roster ask again.
public struct OIDCGrant: Sendable, Hashable {
    public var source: String
    /// The issuer's `sub`: the key of the grant, whatever `claims.id` maps the user's id from.
    public var subject: String
    /// The refresh token sealed with AES-256-GCM under the source's `token_key_file`; never plaintext.
    public var sealedRefreshToken: [UInt8]?
    /// The verified claims (ID token or userinfo) as last confirmed.
    public var claims: JSONValue
    /// When the issuer last confirmed `claims`; they grant nothing once older than `claims_max_age`.
    public var claimsAt: Date
    /// When Roster last tried to redeem the refresh token.
    public var refreshedAt: Date?
    /// The last redemption failed for a passing reason (5xx, timeout): `claims` are the last known.
    public var stale: Bool
    /// Why the last redemption failed, without any token.
    public var problem: String?
    /// Set when the issuer answered `invalid_grant`: it no longer vouches for the person.
    public var withdrawnAt: Date?

    public init(
        source: String, subject: String, sealedRefreshToken: [UInt8]? = nil, claims: JSONValue, claimsAt: Date,
        refreshedAt: Date? = nil, stale: Bool = false, problem: String? = nil, withdrawnAt: Date? = nil
    ) {
        self.source = source
        self.subject = subject
        self.sealedRefreshToken = sealedRefreshToken
        self.claims = claims
        self.claimsAt = claimsAt
        self.refreshedAt = refreshedAt
        self.stale = stale
        self.problem = problem
        self.withdrawnAt = withdrawnAt
    }
}

/// Where an OIDC source keeps its grants between runs: the directory database in production,
/// a dictionary in tests. Every method is its own transaction.
public protocol OIDCGrantStore {
    /// Every grant of `source`, withdrawn ones included, ordered by subject.
    func oidcGrants(source: String) throws -> [OIDCGrant]

    /// Replaces the sealed refresh token of one grant. Called as soon as an issuer rotates the
    /// token, before the answer is used for anything else: the old token may already be dead.
    func storeRefreshToken(source: String, subject: String, sealed: [UInt8], now: Date) throws

    /// Records claims the issuer just confirmed: no longer stale, no problem.
    func storeConfirmedClaims(source: String, subject: String, claims: JSONValue, now: Date) throws

    /// Records a redemption that failed for a passing reason: the last claims stand, marked stale.
    func markStale(source: String, subject: String, problem: String, now: Date) throws

    /// Records that the issuer no longer vouches for `subject`: the refresh token is erased and
    /// `event` (`oidc.refresh_failed`) is audited in the same transaction, naming the user who
    /// holds the identity (`source`, `externalID`) when there is one.
    func withdraw(
        source: String, subject: String, externalID: String, problem: String, event: AuditEvent, now: Date
    ) throws
}

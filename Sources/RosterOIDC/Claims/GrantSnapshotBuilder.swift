import Foundation
import RosterCore

/// Builds an OIDC source's snapshot from its stored grants: what the issuer last confirmed.
///
/// Grants the issuer withdrew (`invalid_grant`) and claims older than `claims_max_age` grant
/// nothing: they are listed as withdrawn, so the planner removes this source's grants from those
/// users. Stale claims (the last refresh failed for a passing reason) still count, with a warning.
public struct GrantSnapshotBuilder: Sendable {
    public let source: String
    public let mapping: ClaimsMapping
    public let claimsMaxAge: Duration

    public init(source: String, options: OIDCSourceOptions) {
        self.source = source
        self.mapping = ClaimsMapping(source: source, map: options.claims)
        self.claimsMaxAge = options.claimsMaxAge
    }

    public func snapshot(_ grants: [OIDCGrant], now: Date, warnings: [String] = [], readSeconds: Double = 0)
        -> SourceSnapshot
    {
        var users: [SourceUser] = []
        var withdrawn: [String: String] = [:]
        var stale: [String] = []
        for grant in grants {
            let externalID = mapping.externalID(grant.claims) ?? grant.subject
            if let at = grant.withdrawnAt {
                withdrawn[externalID] =
                    "the issuer stopped vouching for \(grant.subject) at \(Timestamp.string(at))"
                    + (grant.problem.map { ": \($0)" } ?? "")
            } else if now.timeIntervalSince(grant.claimsAt) > claimsMaxAge.seconds {
                withdrawn[externalID] =
                    "the claims of \(grant.subject) were last confirmed at \(Timestamp.string(grant.claimsAt)), "
                    + "longer ago than claims_max_age"
            } else {
                users.append(mapping.sourceUser(grant.claims))
                if grant.stale {
                    stale.append(
                        "\(grant.subject) keeps the claims confirmed at \(Timestamp.string(grant.claimsAt)) (stale): "
                            + (grant.problem ?? "the last refresh failed"))
                }
            }
        }
        var snapshot = SourceSnapshot(source: source, users: users, readSeconds: readSeconds)
        snapshot.withdrawn = withdrawn
        snapshot.warnings = warnings + stale.prefix(10)
        if stale.count > 10 { snapshot.warnings.append("and \(stale.count - 10) more users with stale claims") }
        return snapshot
    }
}

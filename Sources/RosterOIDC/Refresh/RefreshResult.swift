import RosterCore

/// What redeeming one stored refresh token found.
struct RefreshResult: Sendable {
    enum Verdict: Sendable {
        /// The issuer confirmed these claims (overage already resolved).
        case confirmed(JSONValue)
        /// `invalid_grant`: the issuer no longer vouches for the person.
        case withdrawn(String)
        /// Roster's client configuration is wrong: no user may be touched.
        case clientRejected(String)
        /// A passing failure: the last known claims stand, marked stale.
        case stale(String)
    }

    var subject: String
    /// A new refresh token the issuer rotated in, to be stored before anything else.
    var rotatedToken: String?
    var verdict: Verdict
}

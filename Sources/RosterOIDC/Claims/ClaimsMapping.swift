import RosterCore

/// Turns verified claims into the source user the planner consumes, per the source's `claims:`
/// map (dotted paths; a single string counts as a one-element list).
public struct ClaimsMapping: Sendable {
    public let source: String
    public let map: ClaimMap

    public init(source: String, map: ClaimMap) {
        self.source = source
        self.map = map
    }

    /// The user's id in this source (`claims.id`, `sub` by default), or nil when the claim is missing.
    public func externalID(_ claims: JSONValue) -> String? {
        first(map.id, claims)
    }

    public func sourceUser(_ claims: JSONValue) -> SourceUser {
        SourceUser(
            externalID: externalID(claims) ?? "", username: first(map.username, claims),
            email: first(map.email, claims),
            firstName: first(map.firstName, claims), lastName: first(map.lastName, claims), claims: claims)
    }

    private func first(_ path: String, _ claims: JSONValue) -> String? {
        ClaimPath.strings(at: path, in: claims).first { !$0.isEmpty }
    }
}

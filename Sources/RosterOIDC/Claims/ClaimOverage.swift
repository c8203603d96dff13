import RosterCore

/// Group overage: when a user is in too many groups, some issuers (Entra ID) leave the groups
/// claim out and say so with `_claim_names.groups` or `hasgroups: true`. Such a token says
/// nothing about the groups, so it must never remove grants: the last known groups stand.
public enum ClaimOverage {
    /// Whether `claims` carry an overage marker instead of their groups.
    public static func isMarked(_ claims: JSONValue) -> Bool {
        if claims["_claim_names"]?["groups"] != nil { return true }
        if case .bool(true)? = claims["hasgroups"] { return true }
        if claims["hasgroups"]?.stringValue?.lowercased() == "true" { return true }
        return false
    }

    /// `fresh` with the groups (at `groupsPath` and at `groups`) taken from `previous` when
    /// `fresh` carries an overage marker; `fresh` unchanged otherwise.
    public static func carryingGroups(from previous: JSONValue?, into fresh: JSONValue, groupsPath: String) -> JSONValue
    {
        guard isMarked(fresh), let previous else { return fresh }
        var result = fresh
        for path in Set([groupsPath, "groups"]) {
            let steps = path.split(separator: ".").map(String.init)
            if let value = value(at: steps, in: previous) {
                result = setting(value, at: steps[...], in: result)
            }
        }
        return result
    }

    private static func value(at steps: [String], in claims: JSONValue) -> JSONValue? {
        var current: JSONValue? = claims
        for step in steps { current = current?[step] }
        return current
    }

    private static func setting(_ value: JSONValue, at steps: ArraySlice<String>, in claims: JSONValue) -> JSONValue {
        guard let step = steps.first else { return value }
        guard case .object(var object) = claims else { return claims }
        object[step] = setting(value, at: steps.dropFirst(), in: object[step] ?? .object([:]))
        return .object(object)
    }
}

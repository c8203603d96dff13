/// The usernames given out in one plan, each with the person who took it: two people new to
/// the directory cannot both get one.
///
/// A first sync claims a username for everyone, so the table holds the person's position, not
/// their address, and is sized once rather than grown (a growing table briefly holds two copies).
struct UsernameClaims {
    private let emailKeys: [String]
    private var personByUsername: [String: Int32] = [:]

    /// - Parameter emailKeys: the email key of each person of the plan, by position.
    init(emailKeys: [String]) {
        self.emailKeys = emailKeys
        personByUsername.reserveCapacity(emailKeys.count)
    }

    /// Gives the username folded to `key` to `person`, unless someone took it before: then
    /// nothing changes and that person's email key is returned. One lookup when it is free, as
    /// it nearly always is (a first sync asks once for everyone).
    mutating func claim(_ key: String, by person: Int) -> String? {
        guard let earlier = personByUsername.updateValue(Int32(truncatingIfNeeded: person), forKey: key) else {
            return nil
        }
        personByUsername[key] = earlier
        return emailKeys[Int(earlier)]
    }

    /// Gives back what `person` claimed (they turned out not to be created).
    mutating func withdraw(_ key: String, by person: Int) {
        if personByUsername[key] == Int32(truncatingIfNeeded: person) { personByUsername[key] = nil }
    }
}

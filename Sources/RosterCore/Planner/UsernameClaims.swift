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

    /// The email key of the person who took the username folded to `key`, if anyone did.
    func claimant(of key: String) -> String? {
        personByUsername[key].map { emailKeys[Int($0)] }
    }

    mutating func claim(_ key: String, by person: Int) {
        personByUsername[key] = Int32(truncatingIfNeeded: person)
    }
}

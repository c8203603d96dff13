/// How admins name users on the command line: an id, a username or an email.
public enum UserReference {
    /// The user `reference` names: an id (tombstones too), else a live user's username or email,
    /// compared case-insensitively.
    public static func find(_ reference: String, in users: [DirectoryUser]) throws -> DirectoryUser {
        if let user = lookup(reference, in: users) { return user }
        throw missing(reference)
    }

    /// Why `reference` names nobody.
    public static func missing(_ reference: String) -> AdminError {
        AdminError.refused(
            "no user \"\(reference)\": give an id, a username or an email (see roster users list --search)")
    }

    /// Every user `references` name, each once, in the order given. Nothing is returned unless
    /// all are found: a bulk change never runs on part of a list with a typo in it.
    public static func findAll(_ references: [String], in users: [DirectoryUser]) throws -> [DirectoryUser] {
        var found: [DirectoryUser] = []
        var missing: [String] = []
        for reference in references {
            guard let user = lookup(reference, in: users) else {
                missing.append("\"\(reference)\"")
                continue
            }
            if !found.contains(where: { $0.id == user.id }) { found.append(user) }
        }
        guard missing.isEmpty else {
            let names = missing.joined(separator: ", ")
            throw AdminError.refused(
                "no user \(names): nothing was changed; give ids, usernames or emails (see roster users list --search)"
            )
        }
        return found
    }

    private static func lookup(_ reference: String, in users: [DirectoryUser]) -> DirectoryUser? {
        if let id = Int64(reference), let user = users.first(where: { $0.id == id }) { return user }
        let key = LDAPText.fold(reference)
        guard !key.isEmpty else { return nil }
        return users.first {
            $0.status != .deleted && (LDAPText.fold($0.email) == key || LDAPText.fold($0.username) == key)
        }
    }

    /// How messages name a user: the email, or `user 12` for a tombstone.
    public static func label(_ user: DirectoryUser) -> String {
        user.email.isEmpty ? "user \(user.id)" : user.email
    }
}

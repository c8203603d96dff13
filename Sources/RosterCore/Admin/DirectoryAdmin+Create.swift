import Foundation

/// A local account as `roster users create` describes it.
public struct NewLocalUser: Sendable {
    public var email: String
    /// The email when nil: a local account logs in with either.
    public var username: String?
    public var firstName: String
    public var lastName: String
    public var type: UserType
    public var hasPassword: Bool
    /// The password is temporary: it must be changed at the next login.
    public var mustChangePassword: Bool

    public init(
        email: String, username: String? = nil, firstName: String = "", lastName: String = "",
        type: UserType = .user, hasPassword: Bool = false, mustChangePassword: Bool = false
    ) {
        self.email = email
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.type = type
        self.hasPassword = hasPassword
        self.mustChangePassword = mustChangePassword
    }
}

extension DirectoryAdmin {
    /// The creation of a local user (origin `local`, no identity in any source), after checking
    /// the email (valid, unique among live users) and the username (unique).
    public func create(_ new: NewLocalUser) throws -> UserChange {
        let email = new.email.trimmingCharacters(in: .whitespaces)
        if let problem = EmailAddress.problem(email) {
            throw AdminError.invalidInput("\(problem); give a valid address such as jdoe@example.com")
        }
        if let holder = emailHolder(email) {
            throw AdminError.refused(
                "email \(email) is already used by user \(holder.id) (\(holder.email)); "
                    + "give another address, or change that user")
        }
        let username = try Self.checkedUsername(new.username ?? email)
        if let holder = usernameHolder(username) {
            throw AdminError.refused(
                "username \(username) is already used by user \(holder.id) (\(holder.email)); give another --username")
        }
        if new.mustChangePassword && !new.hasPassword {
            throw AdminError.invalidInput(
                "a temporary password needs a password: add --password-stdin or --password-file")
        }
        let user = DirectoryUser(
            id: 0, username: username, email: email,
            firstName: try Self.checkedText(new.firstName, field: "first name"),
            lastName: try Self.checkedText(new.lastName, field: "last name"), type: new.type, status: .active,
            origin: "local", createdAt: now, updatedAt: now, mustChangePassword: new.mustChangePassword,
            hasPassword: new.hasPassword)
        return change(.create, nil, user)
    }

    /// The password of `reference` may be set: a live local or synced user (a synced user may
    /// also sign in locally, such as a breakglass account kept in LDAP).
    public func passwordTarget(_ reference: String) throws -> DirectoryUser {
        let found = try user(reference)
        try requireEditable(found, allowInactive: true)
        return found
    }
}

import Foundation

/// An admin's changes to the directory, decided without I/O: each command asks for one and gets
/// the `UserChange`s to write in one transaction, or an `AdminError` saying why not.
///
/// Sync and admins share the directory by a few rules (SPEC §2, §4): only `manual` grants are
/// the admin's; fields and grants a source owns are refused naming the source and mapping; an
/// admin's deactivation sticks until an admin activates the user.
public struct DirectoryAdmin: Sendable {
    public let configuration: RosterConfiguration
    /// Every user as stored, tombstones included.
    public let users: [DirectoryUser]
    /// Stamped on deactivations and creations.
    public let now: Date

    public init(configuration: RosterConfiguration, users: [DirectoryUser], now: Date = Date()) {
        self.configuration = configuration
        self.users = users
        self.now = now
    }

    /// The user an admin named by id, username or email.
    public func user(_ reference: String) throws -> DirectoryUser {
        try UserReference.find(reference, in: users)
    }

    /// Refuses changes to tombstones and, unless `allowInactive`, to inactive users: an admin
    /// edits only active accounts (a suspended one is activated first, on purpose).
    func requireEditable(_ user: DirectoryUser, allowInactive: Bool = false) throws {
        let name = UserReference.label(user)
        switch user.status {
        case .deleted:
            throw AdminError.refused(
                "\(name) is deleted: a deleted user cannot be changed; create a new account with roster users create")
        case .inactive where !allowInactive:
            throw AdminError.refused(
                "\(name) is inactive: activate it first (roster users activate \(user.email.isEmpty ? String(user.id) : user.email))"
            )
        default:
            return
        }
    }

    /// The live user other than `id` with this email, compared case-insensitively.
    func emailHolder(_ email: String, except id: Int64? = nil) -> DirectoryUser? {
        let key = EmailAddress.key(email)
        return users.first { $0.status != .deleted && $0.id != id && EmailAddress.key($0.email) == key }
    }

    /// The live user other than `id` with this username, compared case-insensitively.
    func usernameHolder(_ username: String, except id: Int64? = nil) -> DirectoryUser? {
        let key = LDAPText.fold(username)
        return users.first { $0.status != .deleted && $0.id != id && LDAPText.fold($0.username) == key }
    }

    /// A change made by an admin: no source or mapping decided it.
    func change(_ action: UserChange.Action, _ before: DirectoryUser?, _ after: DirectoryUser, note: String? = nil)
        -> UserChange
    {
        var after = after
        after.assignments = after.assignments.sortedByKey()
        return UserChange(action: action, before: before, after: after, source: nil, mappings: [], note: note)
    }

    /// A name, group or project given on the command line: trimmed, without control characters.
    static func checkedText(_ text: String, field: String, allowEmpty: Bool = true) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw AdminError.invalidInput("\(field) \"\(text)\" contains control characters; give plain text")
        }
        if !allowEmpty && trimmed.isEmpty { throw AdminError.invalidInput("\(field) is empty; give a name") }
        return trimmed
    }

    /// A username: like other names, and without spaces, since logins and scripts use it.
    static func checkedUsername(_ text: String) throws -> String {
        let username = try checkedText(text, field: "username", allowEmpty: false)
        if username.contains(where: \.isWhitespace) {
            throw AdminError.invalidInput("username \"\(username)\" contains spaces; give one word, such as jdoe")
        }
        return username
    }
}

/// What an admin's command changes, and what to tell the admin about each user.
public struct AdminOutcome: Sendable {
    /// In the order to write them; empty when there is nothing to do.
    public var changes: [UserChange]
    /// One line per user: what was done, or why nothing needed doing ("already active").
    public var messages: [String]

    public init(changes: [UserChange] = [], messages: [String] = []) {
        self.changes = changes
        self.messages = messages
    }
}

import Foundation

/// Whether a user administers the platform or only uses it.
public enum UserType: String, Sendable, Codable, CaseIterable, Comparable {
    case user
    case admin

    /// `admin` wins when mappings disagree.
    public static func < (lhs: UserType, rhs: UserType) -> Bool { lhs == .user && rhs == .admin }
}

/// Lifecycle of an account; `deleted` rows stay as tombstones so ids are never reused.
public enum UserStatus: String, Sendable, Codable, CaseIterable {
    case active
    case inactive
    case deleted
}

/// Who deactivated a user: sync may undo its own deactivation, never an admin's.
public enum DeactivationActor: String, Sendable, Codable {
    case sync
    case admin
}

/// Where a synced user came from in one source: the stable id and the entry's current name.
public struct ExternalIdentity: Sendable, Hashable, Codable {
    public var source: String
    public var externalID: String
    /// The entry's DN (LDAP, LDIF) or the issuer's subject (OIDC) as last seen.
    public var dn: String?

    public init(source: String, externalID: String, dn: String? = nil) {
        self.source = source
        self.externalID = externalID
        self.dn = dn
    }
}

/// One account of the platform's directory as stored.
public struct DirectoryUser: Sendable, Hashable, Codable {
    public var id: Int64
    public var username: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var type: UserType
    public var status: UserStatus
    /// `local` or the name of the source that created the user.
    public var origin: String
    public var identities: [ExternalIdentity]
    public var assignments: [Assignment]
    public var lastLogin: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// Set when the user became inactive; `safety.delete_after` counts from here.
    public var deactivatedAt: Date?
    public var deactivatedBy: DeactivationActor?
    public var mustChangePassword: Bool
    public var hasPassword: Bool

    public init(
        id: Int64, username: String, email: String, firstName: String = "", lastName: String = "",
        type: UserType = .user, status: UserStatus = .active, origin: String = "local",
        identities: [ExternalIdentity] = [], assignments: [Assignment] = [], lastLogin: Date? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0),
        deactivatedAt: Date? = nil, deactivatedBy: DeactivationActor? = nil,
        mustChangePassword: Bool = false, hasPassword: Bool = false
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.type = type
        self.status = status
        self.origin = origin
        self.identities = identities
        self.assignments = assignments
        self.lastLogin = lastLogin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deactivatedAt = deactivatedAt
        self.deactivatedBy = deactivatedBy
        self.mustChangePassword = mustChangePassword
        self.hasPassword = hasPassword
    }

    /// The identity this user has in `source`, if any.
    public func identity(in source: String) -> ExternalIdentity? {
        identities.first { $0.source == source }
    }

    /// Tombstones are shown under this name; their real name and email are freed.
    public var displayName: String {
        if status == .deleted { return "Deleted User" }
        let full = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        return full.isEmpty ? username : full
    }

    /// The same user with identities and assignments in a fixed order, for comparing states.
    public var normalized: DirectoryUser {
        var copy = self
        copy.identities.sort { ($0.source, $0.externalID) < ($1.source, $1.externalID) }
        copy.assignments = copy.assignments.sortedByKey()
        return copy
    }
}

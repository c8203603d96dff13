/// Where `TouchedPeople` finds what a run's changes could reach: the directory, and each
/// source's cache as the last run left it (before this run's changes are written into it).
public protocol PlanningLookup {
    /// Non-deleted directory users with any of `keys`.
    func directoryUsers(matching keys: DirectoryKeys) throws -> [DirectoryUser]
    /// The cached users of `source` with any of `keys`, each with its place in the cache, except
    /// those at `known` places (the caller has them).
    func cachedUsers(_ source: String, matching keys: CacheKeys, except known: Set<Int64>) throws
        -> [CachedSourceUser]
}

/// What directory users are looked up by.
public struct DirectoryKeys: Sendable, Equatable {
    public var ids: Set<Int64> = []
    /// Per source, external ids of the users' identities.
    public var identities: [String: Set<String>] = [:]
    /// `EmailAddress.key` of the current email.
    public var emailKeys: Set<String> = []
    /// `LDAPText.fold` of the username.
    public var usernameKeys: Set<String> = []

    public init() {}

    public var isEmpty: Bool {
        ids.isEmpty && identities.values.allSatisfy(\.isEmpty) && emailKeys.isEmpty && usernameKeys.isEmpty
    }
}

/// What cached source users are looked up by.
public struct CacheKeys: Sendable, Equatable {
    public var ids: Set<String> = []
    /// `EmailAddress.key` of the email.
    public var emailKeys: Set<String> = []
    /// `Planner.usernameKey(of:)`: the username the entry would be given.
    public var usernameKeys: Set<String> = []
    /// Member values of groups: normalised DNs, or folded usernames for `memberUid` groups.
    public var memberKeys: Set<String> = []
    /// Active Directory primary groups' SIDs.
    public var primaryGroupSIDs: Set<String> = []

    public init() {}

    public var isEmpty: Bool {
        ids.isEmpty && emailKeys.isEmpty && usernameKeys.isEmpty && memberKeys.isEmpty && primaryGroupSIDs.isEmpty
    }
}

/// A cached source user and its place among the source's cached users.
public struct CachedSourceUser: Sendable {
    public var position: Int64
    public var user: SourceUser

    public init(position: Int64, user: SourceUser) {
        self.position = position
        self.user = user
    }
}

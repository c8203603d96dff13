/// What an incremental read returned: the entries that changed since the source's cookie, and
/// the ids of those that are gone.
public struct SourceChanges: Sendable, Equatable {
    /// Added or changed users, whole (every attribute Roster reads).
    public var users: [SourceUser]
    /// Added or changed groups, whole (all their members).
    public var groups: [SourceGroup]
    /// External ids of users or groups deleted, or no longer matching the source's search.
    public var removed: Set<String>
    /// Set when the server listed every unchanged user still in scope (RFC 4533's present
    /// phase): a cached user whose id is neither here nor among the changed ones is gone.
    public var presentUsers: Set<String>?
    /// The same for groups (each search has its own refresh).
    public var presentGroups: Set<String>?
    /// The server rewrites member values when the entry they name is renamed or moved (Active
    /// Directory's linked attributes) without reporting the groups as changed: cached groups'
    /// member DNs must follow the renames among the changed entries.
    public var membersFollowRenames = false

    public init(
        users: [SourceUser] = [], groups: [SourceGroup] = [], removed: Set<String> = [],
        presentUsers: Set<String>? = nil, presentGroups: Set<String>? = nil
    ) {
        self.users = users
        self.groups = groups
        self.removed = removed
        self.presentUsers = presentUsers
        self.presentGroups = presentGroups
    }

    /// `3 changed, 1 removed` for logs and the run report.
    public var summary: String {
        "\(users.count) users and \(groups.count) groups changed, \(removed.count) removed"
    }
}

extension SourceSnapshot {
    /// The source as it is now: this snapshot (the cached result of the last reads) with
    /// `changes` applied. Entries keep their place; new ones come last. Users are keyed by
    /// external id, groups by external id (by DN where they have none).
    public func merging(_ changes: SourceChanges) -> SourceSnapshot {
        var merged = self
        let renamed = changes.membersFollowRenames ? renames(in: changes) : [:]
        merged.users = Self.merge(
            users, changes.users, removed: changes.removed, present: changes.presentUsers, key: \.externalID)
        merged.groups = Self.merge(
            groups, changes.groups, removed: changes.removed, present: changes.presentGroups, key: \.mergeKey)
        if !renamed.isEmpty {
            let fresh = Set(changes.groups.map(\.mergeKey))
            for index in merged.groups.indices where !fresh.contains(merged.groups[index].mergeKey) {
                merged.groups[index].members = merged.groups[index].members.map { renamed[$0] ?? $0 }
            }
        }
        return merged
    }

    /// Old normalised DN → new, for the changed users and groups whose DN changed.
    private func renames(in changes: SourceChanges) -> [String: String] {
        var renamed: [String: String] = [:]
        let usersByID = Dictionary(users.map { ($0.externalID, $0) }, uniquingKeysWith: { first, _ in first })
        for user in changes.users {
            if let old = usersByID[user.externalID]?.normalizedDN, let new = user.normalizedDN, old != new {
                renamed[old] = new
            }
        }
        let groupsByID = Dictionary(groups.map { ($0.mergeKey, $0) }, uniquingKeysWith: { first, _ in first })
        for group in changes.groups {
            if let old = groupsByID[group.mergeKey]?.normalizedDN, old != group.normalizedDN {
                renamed[old] = group.normalizedDN
            }
        }
        return renamed
    }

    private static func merge<Entry>(
        _ cached: [Entry], _ changed: [Entry], removed: Set<String>, present: Set<String>?, key: (Entry) -> String
    ) -> [Entry] {
        var replacement: [String: Entry] = [:]
        for entry in changed { replacement[key(entry)] = entry }
        var result: [Entry] = []
        result.reserveCapacity(cached.count + changed.count)
        var placed: Set<String> = []
        for entry in cached {
            let id = key(entry)
            if let updated = replacement[id] {
                if placed.insert(id).inserted { result.append(updated) }
                continue
            }
            if removed.contains(id) { continue }
            if let present, !present.contains(id) { continue }
            result.append(entry)
        }
        for entry in changed where placed.insert(key(entry)).inserted {
            result.append(entry)
        }
        return result
    }
}

extension SourceGroup {
    /// How an incremental read names this group.
    public var mergeKey: String { externalID.isEmpty ? normalizedDN : externalID }
}

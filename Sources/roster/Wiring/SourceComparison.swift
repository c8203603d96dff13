import Foundation
import RosterCore
import RosterStore

/// One complete read of a cacheable source set against its cache: what changed (for planning
/// only the people touched) and what to write back (for the next run).
struct SourceComparison {
    var delta: SourceDelta
    /// The source's groups as they are now, whole; nil when no group changed and the cached ones,
    /// which are those, were not loaded (`groups(from:)` loads them).
    var groups: [SourceGroup]?
    /// How many groups the source has now.
    var groupCount: Int
    /// How many users the source has now.
    var userCount: Int
    var update: SourceCacheWrite
    /// The cached (old) forms of the changed users, where an incremental read looked them up.
    var cachedChanged: [CachedSourceUser]?

    /// The source's groups as they are now, whole.
    func groups(from database: DirectoryDatabase) throws -> [SourceGroup] {
        try groups ?? database.cachedGroups(delta.source)
    }

    /// An incremental read: its changes against the cached entries.
    static func incremental(
        _ snapshot: SourceSnapshot, changes: SourceChanges, database: DirectoryDatabase
    ) throws -> SourceComparison {
        let source = snapshot.source
        let changedIDs = Set(changes.users.map(\.externalID))
        var keys = CacheKeys()
        keys.ids = changedIDs
        let cachedChanged = try database.cachedUsers(source, matching: keys)
        let oldChanged = cachedChanged.map(\.user)

        // The present phase lists what is still there: whatever else was cached is gone.
        var removed = changes.removed
        if let present = changes.presentUsers {
            removed.formUnion(try database.cachedUserIDs(source).subtracting(present).subtracting(changedIDs))
        }
        if let present = changes.presentGroups {
            removed.formUnion(
                try database.cachedGroupIDs(source).subtracting(present).subtracting(changes.groups.map(\.mergeKey)))
        }
        let removedGroups = try database.cachedGroupIDs(source, among: removed)
        let removedUsers = removed.subtracting(removedGroups)
        let cachedCount = try database.cachedUserCount(source)
        let newCount = changedIDs.count - oldChanged.count
        let userCount = cachedCount + newCount - (try database.cachedUserCount(source, among: removedUsers))
        let delta = SourceDelta(source: source, changedUsers: changes.users, removedUsers: removedUsers)
        let update = SourceCacheWrite(
            source: source, users: changes.users, groups: [], removed: removed, cookie: snapshot.cookie,
            fullReadAt: nil)

        // No group changed (most runs between full reads): the cached groups are the groups, and
        // only those of the people planned are loaded, later (`PlanInputs`). Unless a renamed
        // user's new DN replaces the old one in the groups that list it (`membersFollowRenames`).
        let oldDNs = Dictionary(oldChanged.map { ($0.externalID, $0.normalizedDN) }, uniquingKeysWith: { a, _ in a })
        let groupsFollowRename =
            changes.membersFollowRenames
            && changes.users.contains { user in oldDNs[user.externalID].map { $0 != user.normalizedDN } ?? false }
        guard !changes.groups.isEmpty || !removedGroups.isEmpty || groupsFollowRename else {
            return SourceComparison(
                delta: delta, groups: nil, groupCount: try database.cachedGroupCount(source), userCount: userCount,
                update: update, cachedChanged: cachedChanged)
        }
        let cachedGroups = try database.cachedGroups(source)
        var settled = changes
        settled.removed = removed
        settled.presentUsers = nil
        settled.presentGroups = nil
        let groups = SourceSnapshot(source: source, users: oldChanged, groups: cachedGroups).merging(settled).groups
        let changedGroups = Self.changedGroups(groups, cached: cachedGroups)
        let reach = GroupReach.memberKeys(
            changed: Set(changedGroups.map(\.mergeKey)).union(removedGroups), old: cachedGroups, new: groups,
            nested: snapshot.nestedGroups, membersAreUsernames: snapshot.membersAreUsernames)
        var groupDelta = delta
        groupDelta.memberKeys = reach.members
        groupDelta.primaryGroupSIDs = reach.securityIDs
        var groupUpdate = update
        groupUpdate.groups = changedGroups
        return SourceComparison(
            delta: groupDelta, groups: groups, groupCount: groups.count, userCount: userCount, update: groupUpdate,
            cachedChanged: cachedChanged)
    }

    /// A full read: compared entry by entry with the cached one (users in the store's own bytes).
    static func full(_ snapshot: SourceSnapshot, database: DirectoryDatabase, now: Date) throws -> SourceComparison {
        let source = snapshot.source
        let difference = try database.compareCachedUsers(source, with: snapshot.users)
        let changedUsers = difference.changed.map { snapshot.users[$0] }
        let removedUsers = difference.removed
        let cachedGroups = try database.cachedGroups(source)
        let changedGroups = Self.changedGroups(snapshot.groups, cached: cachedGroups)
        let removedGroups = Set(cachedGroups.map(\.mergeKey)).subtracting(snapshot.groups.map(\.mergeKey))
        let reach = GroupReach.memberKeys(
            changed: Set(changedGroups.map(\.mergeKey)).union(removedGroups), old: cachedGroups,
            new: snapshot.groups, nested: snapshot.nestedGroups, membersAreUsernames: snapshot.membersAreUsernames)
        return SourceComparison(
            delta: SourceDelta(
                source: source, changedUsers: changedUsers, removedUsers: removedUsers, memberKeys: reach.members,
                primaryGroupSIDs: reach.securityIDs),
            groups: snapshot.groups, groupCount: snapshot.groups.count, userCount: snapshot.users.count,
            update: SourceCacheWrite(
                source: source, users: changedUsers, groups: changedGroups, removed: removedUsers.union(removedGroups),
                cookie: snapshot.cookie, fullReadAt: now))
    }

    /// Groups of `groups` that are new or differ from their cached form.
    private static func changedGroups(_ groups: [SourceGroup], cached: [SourceGroup]) -> [SourceGroup] {
        var byKey: [String: SourceGroup] = [:]
        for group in cached { byKey[group.mergeKey] = group }
        return groups.filter { byKey[$0.mergeKey] != $0 }
    }
}

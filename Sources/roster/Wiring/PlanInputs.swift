import Foundation
import RosterCore
import RosterStore

/// What the planner is given in one run, and what the run keeps afterwards.
///
/// When the directory was last planned whole against the caches this run's reads are compared
/// with (a valid `PlanCheckpoint`, and every configured source read completely), only the people
/// the changes touch are planned (`TouchedPeople`), with counts of the whole for the safety
/// limits. Otherwise every user is, against whole snapshots.
struct PlanInputs {
    var snapshots: [SourceSnapshot]
    var directory: [DirectoryUser]
    var totals: PlanTotals?
    /// Per source, what to write into its cache after planning.
    var cacheUpdates: [SourceCacheWrite]
    /// Per source, users and groups of its whole snapshot (for the run's header lines).
    var sizes: [String: (users: Int, groups: Int)]

    static func build(
        _ reads: [SourceReading.SourceRead], configuration: RosterConfiguration, database: DirectoryDatabase?,
        checkpoint: PlanCheckpoint?, settingsDigest: String?, readsEverySource: Bool, now: Date
    ) throws -> PlanInputs {
        guard let database else {
            return PlanInputs(
                snapshots: reads.map(\.snapshot), directory: [], totals: nil, cacheUpdates: [],
                sizes: sizes(reads.map(\.snapshot)))
        }
        var comparisons: [String: SourceComparison] = [:]
        var updates: [SourceCacheWrite] = []
        for read in reads where read.cacheable && read.snapshot.complete {
            if let changes = read.snapshot.incremental {
                let comparison = try SourceComparison.incremental(read.snapshot, changes: changes, database: database)
                comparisons[read.name] = comparison
                updates.append(comparison.update)
            } else if read.cache != nil {
                let comparison = try SourceComparison.full(read.snapshot, database: database, now: now)
                comparisons[read.name] = comparison
                updates.append(comparison.update)
            } else {
                updates.append(
                    SourceCacheWrite(
                        source: read.name, users: read.snapshot.users, groups: read.snapshot.groups,
                        cookie: read.snapshot.cookie, fullReadAt: now, replaces: true))
            }
        }

        let touchedOnly =
            readsEverySource
            && checkpoint.map { checkpoint in
                checkpoint.configSHA256 == settingsDigest && checkpoint.rosterVersion == RosterVersion.current
                    && checkpoint.caches.count == reads.count
                    && reads.allSatisfy { read in
                        comparisons[read.name] != nil && read.cache?.generation == checkpoint.caches[read.name]
                            && !read.snapshot.users.contains { $0.externalID.isEmpty }
                    }
            } ?? false
        if touchedOnly {
            return try touched(reads, comparisons: comparisons, updates: updates, configuration, database, now)
        }

        var snapshots: [SourceSnapshot] = []
        for read in reads {
            guard let changes = read.snapshot.incremental, let comparison = comparisons[read.name] else {
                snapshots.append(read.snapshot)
                continue
            }
            // Everyone is planned: the cached users with the changes merged in.
            var snapshot = read.snapshot
            snapshot.users = try database.cachedUsers(read.name)
            snapshot.users = snapshot.merging(changes).users
            snapshot.groups = try comparison.groups(from: database)
            snapshots.append(snapshot)
        }
        return PlanInputs(
            snapshots: snapshots, directory: try database.loadUsers(), totals: nil, cacheUpdates: updates,
            sizes: sizes(snapshots))
    }

    private static func touched(
        _ reads: [SourceReading.SourceRead], comparisons: [String: SourceComparison], updates: [SourceCacheWrite],
        _ configuration: RosterConfiguration, _ database: DirectoryDatabase, _ now: Date
    ) throws -> PlanInputs {
        let deltas = reads.map { comparisons[$0.name]!.delta }
        let inactiveBefore = configuration.safety.deleteAfter.map { now.addingTimeInterval(-$0.seconds) }
        let people = try TouchedPeople.resolve(
            deltas, seeds: try database.planningSeeds(inactiveBefore: inactiveBefore),
            cachedChanged: comparisons.compactMapValues(\.cachedChanged), lookup: database)
        var snapshots: [SourceSnapshot] = []
        var sizes: [String: (users: Int, groups: Int)] = [:]
        for read in reads {
            let comparison = comparisons[read.name]!
            var snapshot = read.snapshot
            snapshot.users = people.users[read.name] ?? []
            // The groups the planned users are in (and those holding them), unless every group
            // is at hand already: memberships of other users are not asked for.
            snapshot.groups =
                try comparison.groups
                ?? database.cachedGroups(
                    read.name, reaching: memberKeys(of: snapshot),
                    securityIDs: Set(snapshot.users.compactMap(\.primaryGroupSID)), nested: snapshot.nestedGroups)
            snapshots.append(snapshot)
            sizes[read.name] = (comparison.userCount, comparison.groupCount)
        }
        // Counted only where they matter: the empty-source check, and (after planning) the limits.
        let managedBySource = sizes.values.contains { $0.users == 0 } ? try database.managedUserCounts().bySource : [:]
        let totals = PlanTotals(
            managedUsers: nil, managedBySource: managedBySource, sourceUsers: sizes.mapValues(\.users))
        return PlanInputs(
            snapshots: snapshots, directory: people.directory, totals: totals, cacheUpdates: updates, sizes: sizes)
    }

    /// The member values that name the users of `snapshot` in its groups (as `MembershipIndex`
    /// matches them): their normalised DNs, or their usernames where members are `memberUid` names.
    private static func memberKeys(of snapshot: SourceSnapshot) -> Set<String> {
        Set(snapshot.users.compactMap { snapshot.membersAreUsernames ? $0.username : $0.normalizedDN })
    }

    private static func sizes(_ snapshots: [SourceSnapshot]) -> [String: (users: Int, groups: Int)] {
        Dictionary(snapshots.map { ($0.source, ($0.users.count, $0.groups.count)) }, uniquingKeysWith: { a, _ in a })
    }
}

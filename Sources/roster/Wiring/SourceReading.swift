import Foundation
import RosterCore
import RosterStore

/// Reads the sources of one run: each in full, or, where the source offers incremental reads,
/// its cache holds a cookie and no full read is due (`daemon.full_sync_every`), only what
/// changed since that cookie, merged into the cached entries. The planner always receives
/// whole snapshots, so an incremental run and a full run over the same changes plan the same.
///
/// A refused cookie (expired, another or restored server) falls back to a full read, said as a
/// warning of that source. Dry runs read the same way but keep nothing.
struct SourceReading {
    let database: DirectoryDatabase?
    /// `--full`, or the daemon's scheduled full read.
    let forceFull: Bool
    let fullSyncEvery: Duration
    /// Dry runs leave the cache and the cookies as they were.
    let keepsCache: Bool
    let now: Date

    func readAll(_ readers: [any IdentitySource]) async throws -> [SourceSnapshot] {
        // The store is not Sendable: what the reads need from it is taken out before they start
        // and written back after they are all done.
        var plans: [ReadPlan] = []
        for reader in readers { plans.append(try plan(for: reader)) }
        let snapshots = await SourceFactory.readAll(plans)
        if keepsCache, let database {
            for (plan, snapshot) in zip(plans, snapshots) { try keep(snapshot, of: plan, in: database) }
        }
        return snapshots
    }

    /// How one source is read this run.
    struct ReadPlan: IdentitySource {
        let reader: any IdentitySource
        /// Set for an incremental read: the cookie and the cached snapshot to merge into.
        let incremental: (cookie: String, cached: SourceSnapshot)?
        let supportsIncremental: Bool

        var name: String { reader.name }

        func read() async -> SourceSnapshot {
            guard let incremental, let source = reader as? any IncrementalIdentitySource else {
                return await reader.read()
            }
            switch await source.readChanges(since: incremental.cookie) {
            case .changes(let changes, let cookie, let base):
                var snapshot = base
                snapshot.users = incremental.cached.users
                snapshot.groups = incremental.cached.groups
                snapshot = snapshot.merging(changes)
                snapshot.cookie = cookie
                snapshot.incremental = changes
                return snapshot
            case .refused(let reason):
                var snapshot = await reader.read()
                snapshot.warnings.insert("incremental read refused, read in full instead: \(reason)", at: 0)
                return snapshot
            case .failed(let snapshot):
                return snapshot
            }
        }
    }

    private func plan(for reader: any IdentitySource) throws -> ReadPlan {
        let supports = reader is any IncrementalIdentitySource
        guard supports, !forceFull, let database, let state = try database.sourceCacheState(reader.name),
            now < state.fullReadAt + fullSyncEvery.timeInterval
        else { return ReadPlan(reader: reader, incremental: nil, supportsIncremental: supports) }
        let cached = try database.cachedEntries(reader.name)
        let snapshot = SourceSnapshot(source: reader.name, users: cached.users, groups: cached.groups)
        return ReadPlan(reader: reader, incremental: (state.cookie, snapshot), supportsIncremental: supports)
    }

    /// Writes what the next incremental read starts from: after a complete full read its
    /// entries and cookie; after an incremental read the changed entries, the gone ones and the
    /// new cookie. An incomplete read keeps the old cache, so its changes are read again.
    private func keep(_ snapshot: SourceSnapshot, of plan: ReadPlan, in database: DirectoryDatabase) throws {
        guard plan.supportsIncremental, snapshot.complete else { return }
        guard let cookie = snapshot.cookie else {
            try database.clearSourceCache(snapshot.source)
            return
        }
        if let changes = snapshot.incremental, let cached = plan.incremental?.cached {
            let kept = Set(snapshot.users.map(\.externalID)).union(snapshot.groups.map(\.mergeKey))
            let gone = Set(cached.users.map(\.externalID)).union(cached.groups.map(\.mergeKey)).subtracting(kept)
            try database.updateSourceCache(
                snapshot.source, changed: changes.users, changes.groups, removed: gone, cookie: cookie, now: now)
        } else {
            try database.replaceSourceCache(
                snapshot.source, users: snapshot.users, groups: snapshot.groups, cookie: cookie, fullReadAt: now)
        }
    }
}

import Foundation
import RosterCore
import RosterStore

/// Reads the sources of one run: each in full, or, where the source offers incremental reads,
/// its cache holds a cookie and no full read is due (`daemon.full_sync_every`), only what
/// changed since that cookie.
///
/// A refused cookie (expired, another or restored server) falls back to a full read, said as a
/// warning of that source. Nothing is written here: the run decides how it plans (`TouchedPlanning`)
/// and then keeps what the reads found (`SourceCacheUpdate`), unless it is a dry run.
struct SourceReading {
    let database: DirectoryDatabase?
    /// `--full`, or the daemon's scheduled full read.
    let forceFull: Bool
    let fullSyncEvery: Duration
    let now: Date

    /// One source's read: a whole snapshot, or (incremental) an entry-less one whose
    /// `incremental` holds the changes.
    struct SourceRead {
        var snapshot: SourceSnapshot
        /// The source keeps a cache between runs (it can read incrementally, or be compared).
        let cacheable: Bool
        /// The cache as this run found it, before anything of this run was written.
        let cache: DirectoryDatabase.SourceCacheState?

        var name: String { snapshot.source }
    }

    func readAll(_ readers: [any IdentitySource]) async throws -> [SourceRead] {
        // The store is not Sendable: what the reads need from it is taken out before they start.
        var plans: [ReadPlan] = []
        for reader in readers { plans.append(try plan(for: reader)) }
        let snapshots = await SourceFactory.readAll(plans)
        return zip(plans, snapshots).map { plan, snapshot in
            SourceRead(
                snapshot: snapshot, cacheable: plan.reader is any IncrementalIdentitySource, cache: plan.cache)
        }
    }

    /// How one source is read this run.
    struct ReadPlan: IdentitySource {
        let reader: any IdentitySource
        let cache: DirectoryDatabase.SourceCacheState?
        /// Set for an incremental read.
        let cookie: String?

        var name: String { reader.name }

        func read() async -> SourceSnapshot {
            guard let cookie, let source = reader as? any IncrementalIdentitySource else {
                return await reader.read()
            }
            switch await source.readChanges(since: cookie) {
            case .changes(let changes, let next, let base):
                var snapshot = base
                snapshot.users = []
                snapshot.groups = []
                snapshot.cookie = next
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
        guard reader is any IncrementalIdentitySource, let database,
            let state = try database.sourceCacheState(reader.name)
        else { return ReadPlan(reader: reader, cache: nil, cookie: nil) }
        let due = forceFull || now >= state.fullReadAt + fullSyncEvery.timeInterval
        return ReadPlan(reader: reader, cache: state, cookie: due ? nil : state.cookie)
    }
}

import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// A reconcile's apply writes the sources' caches first, then the batch its `decide` step gives
/// (planned meanwhile), in one transaction: both or neither are kept.
struct CachesFirstApplyTests {
    private struct Failed: Error {}

    private static let ann = SourceUser(
        externalID: "u1", dn: "uid=ann,ou=people", normalizedDN: "uid=ann,ou=people", username: "ann",
        email: "ann@example.com", disabled: false)

    private func cache(cookie: String = "c1") -> SourceCacheWrite {
        SourceCacheWrite(
            source: "corp", users: [Self.ann], groups: [], cookie: cookie, fullReadAt: Fixtures.now, replaces: true)
    }

    @Test func theCachesAndTheDecidedBatchAreCommittedTogether() throws {
        try withDatabase { database, _ in
            var cachedWhenDeciding = -1
            let (applied, decision) = try database.apply(
                writingFirst: [cache()], now: Fixtures.now, expectedChanges: 1
            ) {
                // Inside the transaction, after the caches: the decision sees them.
                cachedWhenDeciding = try database.cachedUserCount("corp")
                return (Fixtures.batch([Fixtures.create(Fixtures.newUser("ann"))]), "planned")
            }
            #expect(decision == "planned")
            #expect(cachedWhenDeciding == 1)
            #expect(applied?.records.map(\.action) == ["run.start", "user.create", "run.finish"])
            #expect(try database.loadUsers().map(\.username) == ["ann"])
            #expect(try database.cachedUsers("corp") == [Self.ann])
            #expect(try database.sourceCacheState("corp")?.cookie == "c1")
            #expect(try database.verifyAudit() == .valid(count: 3))
        }
    }

    /// `beforeCommit` runs once, after the batch is written and before it is committed; not at
    /// all when there is no batch.
    @Test func beforeCommitRunsOnceTheBatchIsWritten() throws {
        try withDatabase { database, _ in
            var seen: [(users: Int, inTransaction: Bool)] = []
            let (applied, _) = try database.apply(
                writingFirst: [cache()], now: Fixtures.now, expectedChanges: 1,
                beforeCommit: {
                    seen.append(((try? database.loadUsers().count) ?? -1, database.connection.isInTransaction))
                }
            ) { (Fixtures.batch([Fixtures.create(Fixtures.newUser("ann"))]), ()) }
            #expect(applied != nil)
            #expect(seen.map(\.users) == [1])
            #expect(seen.map(\.inTransaction) == [true])
            #expect(!database.connection.isInTransaction)

            var called = false
            _ = try database.apply(
                writingFirst: [cache()], now: Fixtures.now, expectedChanges: 1, beforeCommit: { called = true }
            ) { (nil, ()) }
            #expect(!called)
        }
    }

    /// A safety limit stops the run once the caches are written: they go too.
    @Test func noBatchRollsTheCachesBack() throws {
        try withDatabase { database, _ in
            let (applied, decision) = try database.apply(
                writingFirst: [cache()], now: Fixtures.now, expectedChanges: 1
            ) { (nil, 7) }
            #expect(applied == nil)
            #expect(decision == 7)
            #expect(try database.sourceCacheState("corp") == nil)
            #expect(try database.cachedUserCount("corp") == 0)
            #expect(try database.lastAuditSeq() == 0)
        }
    }

    @Test func aFailedDecisionLeavesTheCachesAsTheyWere() throws {
        try withDatabase { database, _ in
            try database.writeSourceCache(cache(cookie: "before"), now: Fixtures.now)
            #expect(throws: Failed.self) {
                _ = try database.apply(
                    writingFirst: [cache(cookie: "after")], now: Fixtures.now, expectedChanges: 1
                ) { () throws -> (batch: ApplyBatch?, decision: Int) in throw Failed() }
            }
            #expect(try database.sourceCacheState("corp")?.cookie == "before")
            #expect(try database.loadUsers().isEmpty)
        }
    }

    /// The journal is chosen before the batch exists, from the changes expected: a load of an
    /// empty directory goes through a rollback journal, and the file is in WAL mode afterwards.
    @Test func anExpectedFirstSyncLoadsThroughARollbackJournal() throws {
        try withDatabase { database, _ in
            var mode = ""
            let creations = (0..<5).map { Fixtures.create(Fixtures.newUser("u\($0)")) }
            _ = try database.apply(
                writingFirst: [cache()], now: Fixtures.now, expectedChanges: DirectoryDatabase.bulkLoadMinimum
            ) {
                mode = try database.connection.scalarText("PRAGMA journal_mode") ?? ""
                return (Fixtures.batch(creations), ())
            }
            #expect(mode == "delete")
            #expect(try database.connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try database.loadUsers().count == 5)

            _ = try database.apply(writingFirst: [], now: Fixtures.now, expectedChanges: 1) {
                mode = try database.connection.scalarText("PRAGMA journal_mode") ?? ""
                return (nil, ())
            }
            #expect(mode == "wal")
        }
    }
}

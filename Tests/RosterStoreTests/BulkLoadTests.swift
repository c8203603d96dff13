import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// A first sync into an empty directory writes through a rollback journal (its new pages once,
/// not into the WAL and again at the checkpoint); the file is in WAL mode again afterwards, and
/// any other batch, or a file another connection has open, keeps the WAL.
struct BulkLoadTests {
    private struct Refused: Error {}

    private func creations(_ count: Int, prefix: String) -> [(change: UserChange, events: [AuditEvent])] {
        (0..<count).map { Fixtures.create(Fixtures.newUser("\(prefix)\($0)")) }
    }

    /// The journal mode inside the apply's transaction, read by its `alongside` step.
    private func modeDuringApply(_ database: DirectoryDatabase, _ batch: ApplyBatch) throws -> String {
        var mode = ""
        _ = try database.apply(batch) { _ in
            mode = try database.connection.scalarText("PRAGMA journal_mode") ?? ""
            return []
        }
        return mode
    }

    @Test func aFirstSyncIntoAnEmptyDirectoryWritesThroughARollbackJournal() throws {
        try withDatabase { (database, folder) throws in
            let count = DirectoryDatabase.bulkLoadMinimum
            #expect(try modeDuringApply(database, Fixtures.batch(creations(count, prefix: "u"))) == "delete")
            #expect(try database.connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/db/roster.db-journal"))
            #expect(try database.loadUsers().count == count)
            #expect(try database.verifyAudit() == .valid(count: count + 2))

            // The directory has users now: the next batch, however large, keeps the WAL.
            let next = Fixtures.batch(creations(count, prefix: "v"), run: "run-2")
            #expect(try modeDuringApply(database, next) == "wal")
            #expect(try database.loadUsers().count == 2 * count)
        }
    }

    @Test func aSmallFirstBatchKeepsTheWAL() throws {
        try withDatabase { (database, _) throws in
            let batch = Fixtures.batch(creations(DirectoryDatabase.bulkLoadMinimum - 1, prefix: "u"))
            #expect(try modeDuringApply(database, batch) == "wal")
        }
    }

    @Test func aFileAnotherConnectionHasOpenKeepsTheWAL() throws {
        try withDatabase { (database, folder) throws in
            let reader = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            #expect(try reader.lastAuditSeq() == 0)
            let count = DirectoryDatabase.bulkLoadMinimum
            #expect(try modeDuringApply(database, Fixtures.batch(creations(count, prefix: "u"))) == "wal")
            #expect(try reader.loadUsers().count == count)
        }
    }

    @Test func aFailedBulkLoadLeavesNothingAndTheWAL() throws {
        try withDatabase { (database, _) throws in
            let batch = Fixtures.batch(creations(DirectoryDatabase.bulkLoadMinimum, prefix: "u"))
            #expect(throws: Refused.self) {
                _ = try database.apply(batch, alongside: { _ -> [AuditEvent] in throw Refused() })
            }
            #expect(try database.connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try database.loadUsers().isEmpty)
            #expect(try database.lastAuditSeq() == 0)
        }
    }

    /// A process that opens the directory while a first sync loads it through the journal waits
    /// for the busy timeout, then is told why, not that WAL is unsupported.
    @Test func anOpenerDuringABulkLoadIsToldAFirstSyncIsLoadingIt() throws {
        try withDatabase { (database, folder) throws in
            // What `withRollbackJournal` holds once its transaction has written pages.
            try database.connection.execute("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE")
            defer { try? database.connection.execute("ROLLBACK; PRAGMA journal_mode = WAL") }
            #expect {
                _ = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            } throws: { error in
                "\(error)".contains("a first sync is loading it")
            }
        }
    }
}

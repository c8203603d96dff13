import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// New users rows and audit records go in several to a statement: the ids handed out are those
/// AUTOINCREMENT would give, each record names its user's id, and the chain holds across
/// statements and across appenders of one transaction.
///
/// The tests hold statements to 32 users rows (17 values each) by SQLite's parameter limit, so
/// that a few dozen changes make full statements and a partial one.
struct BatchedRowsTests {
    private static let parameterLimit = 17 * 32

    @Test func createsGetTheNextIdsAndTheirRecordsNameThem() throws {
        try withDatabase { database, _ in
            database.connection.parameterLimit = Self.parameterLimit
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("first"))]))
            let first = try #require(try database.loadUsers().first)
            var renamed = first
            renamed.firstName = "Renamed"
            // 70 creates (two full statements and a partial one) around an update.
            var changes = (0..<35).map { Fixtures.create(Fixtures.newUser("a\($0)")) }
            changes.append(Fixtures.change(.update, from: first, to: renamed))
            changes += (0..<35).map { Fixtures.create(Fixtures.newUser("b\($0)")) }
            _ = try database.apply(Fixtures.batch(changes, run: "run-2"))

            let users = try database.loadUsers()
            #expect(users.count == 71)
            let created = users.filter { $0.id != first.id }.sorted { $0.id < $1.id }
            #expect(created.map(\.id) == Array(2...71))
            #expect(created.map(\.username) == (0..<35).map { "a\($0)" } + (0..<35).map { "b\($0)" })
            #expect(users.first { $0.id == first.id }?.firstName == "Renamed")
            let byEmail = Dictionary(uniqueKeysWithValues: users.map { ($0.email, $0.id) })
            let records = try database.auditRecords(AuditFilter(action: "user.create"))
            #expect(records.count == 71)
            for record in records {
                #expect(record.userID == byEmail[record.email ?? ""], "\(record.email ?? "")")
            }
            // Identities and assignments reference the ids handed out.
            #expect(try database.user(reference: "b34@example.com")?.identities.map(\.externalID) == ["uuid-b34"])
            #expect(try database.verifyAudit() == .valid(count: 3 + 73))
        }
    }

    /// A batch of creates only writes each user's facts along with the rows: every user keeps
    /// its own, whether its row went in with a full statement or with the last, partial one.
    @Test func aBatchOfCreatesStoresEachUsersFactsUnderItsId() throws {
        try withDatabase { database, _ in
            database.connection.parameterLimit = Self.parameterLimit
            var given: [String: DirectoryUser] = [:]
            let changes = (0..<70).map { index in
                var user = Fixtures.newUser("c\(index)")
                let teams = AssignmentOrigin.mapping(id: "teams", source: "corp")
                user.assignments.append(.group("team-\(index)", role: .member, origin: teams))
                given[user.email] = user
                return Fixtures.create(user)
            }
            _ = try database.apply(Fixtures.batch(changes))

            let users = try database.loadUsers()
            #expect(users.count == 70)
            for user in users {
                let expected = try #require(given[user.email])
                #expect(user.identities == expected.identities, "\(user.email)")
                #expect(user.assignments.sortedByKey() == expected.assignments.sortedByKey(), "\(user.email)")
            }
        }
    }

    /// An id once handed out is never handed out again, even when the highest row is gone.
    @Test func idsContinuePastTheHighestEverHandedOut() throws {
        try withDatabase { database, _ in
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("one"))]))
            try database.connection.execute("UPDATE sqlite_sequence SET seq = 500 WHERE name = 'users'")
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("two"))], run: "run-2"))
            #expect(try database.user(reference: "two@example.com")?.id == 501)
            #expect(try database.nextUserID() == 502)
        }
    }

    /// A second appender in the same transaction starts from the first one's last record, so
    /// the first has written all of its rows when it finishes.
    @Test func twoAppendersInOneTransactionChainOnEachOther() throws {
        try withDatabase { database, _ in
            database.connection.parameterLimit = Self.parameterLimit
            let events = (0..<40).map { Fixtures.event("user.update", userID: Int64($0), email: "u\($0)@example.com") }
            try database.connection.transaction {
                _ = try database.appendRecords(events, runID: "run-1", now: Fixtures.now)
                _ = try database.appendRecords(events, runID: "run-1", now: Fixtures.now)
            }
            #expect(try database.lastAuditSeq() == 80)
            #expect(try database.verifyAudit() == .valid(count: 80))
        }
    }

    /// The plan checkpoint holds while no record follows the one it names: the last record of
    /// its own batch, which must be written (not still buffered) when the checkpoint is.
    @Test func aCheckpointWrittenWithItsBatchHolds() throws {
        try withDatabase { database, _ in
            database.connection.parameterLimit = Self.parameterLimit
            let checkpoint = PlanCheckpoint(configSHA256: "abc", caches: ["corp": "g1"])
            var batch = Fixtures.batch((0..<40).map { Fixtures.create(Fixtures.newUser("u\($0)")) })
            batch.checkpoint = checkpoint
            _ = try database.apply(batch)
            #expect(try database.currentPlanCheckpoint() == checkpoint)

            var next = Fixtures.batch([Fixtures.create(Fixtures.newUser("v"))], run: "run-2")
            next.checkpoint = checkpoint
            _ = try database.apply(writingFirst: [], now: Fixtures.now, expectedChanges: 1) { (next, ()) }
            #expect(try database.currentPlanCheckpoint() == checkpoint)

            // A record after it (an admin's action) and it no longer holds.
            _ = try database.appendAudit([Fixtures.event("user.update")], runID: nil, now: Fixtures.now)
            #expect(try database.currentPlanCheckpoint() == nil)
        }
    }

    /// Rows per statement follow the connection's parameter limit: at 40, two users rows (34
    /// values) a statement, and every row of a batch still lands whole.
    @Test func aLowParameterLimitMakesSmallerStatements() throws {
        try withDatabase { database, _ in
            database.connection.parameterLimit = 40
            #expect(database.connection.parameterLimit == 40)
            _ = try database.apply(Fixtures.batch((0..<5).map { Fixtures.create(Fixtures.newUser("s\($0)")) }))
            let users = try database.loadUsers().sorted { $0.id < $1.id }
            #expect(users.map(\.username) == (0..<5).map { "s\($0)" })
            #expect(users.allSatisfy { $0.identities.count == 1 })
            #expect(try database.verifyAudit() == .valid(count: 7))
        }
    }
}

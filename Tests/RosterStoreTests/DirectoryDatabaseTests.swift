import Foundation
import RosterCore
import Testing

@testable import RosterStore

struct DirectoryDatabaseTests {
    @Test func opensWithDurableSettingsAndReopens() throws {
        try withDatabase { database, folder in
            #expect(try database.connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try database.connection.scalarText("PRAGMA synchronous") == "2")
            #expect(try database.connection.scalarText("PRAGMA foreign_keys") == "1")
            #expect(try database.connection.scalarText("PRAGMA user_version") == "\(Schema.currentVersion)")
            let mode = try FileManager.default.attributesOfItem(atPath: database.path)[.posixPermissions] as? Int
            #expect(mode == 0o640)
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
            let reopened = try DirectoryDatabase.open(path: database.path)
            #expect(try reopened.loadUsers().map(\.email) == ["alice@example.com"])
        }
    }

    /// A new directory is made with 8 KiB pages; one made before (4 KiB) keeps its pages and
    /// opens as it did, since a WAL file's page size cannot change.
    @Test func aNewDirectoryHasLargePagesAndAnOlderOneKeepsItsOwn() throws {
        try withDatabase { database, folder in
            #expect(try database.connection.scalarText("PRAGMA page_size") == "8192")
            let olderPath = folder.path + "/older.db"
            do {
                let older = try SQLiteConnection(path: olderPath)
                try older.execute("PRAGMA page_size = 4096; CREATE TABLE made_before (x); DROP TABLE made_before")
            }
            let older = try DirectoryDatabase.open(path: olderPath)
            #expect(try older.connection.scalarText("PRAGMA page_size") == "4096")
            #expect(try older.connection.scalarText("PRAGMA journal_mode") == "wal")
            _ = try older.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
            #expect(try older.loadUsers().map(\.email) == ["alice@example.com"])
        }
    }

    @Test func createsUsersWithIdentitiesAndAssignments() throws {
        try withDatabase { database, _ in
            let applied = try database.apply(
                Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(Fixtures.newUser("bob"))]))
            #expect(applied.users.map(\.id) == [1, 2])
            #expect(applied.users.allSatisfy { $0.createdAt == Fixtures.now && $0.updatedAt == Fixtures.now })

            let loaded = try database.loadUsers()
            #expect(loaded == applied.users)
            #expect(loaded[0].identities == Fixtures.newUser("alice").identities)
            #expect(loaded[1].assignments == Fixtures.newUser("bob").assignments)
            #expect(try database.user(id: 2) == applied.users[1])
            #expect(try database.user(email: "ALICE@Example.com")?.id == 1)
            #expect(try database.user(username: "Bob")?.id == 2)
            #expect(try database.user(id: 99) == nil)
        }
    }

    /// Facts go in several rows to a statement: 45 users' 45 identities and 135 assignments are
    /// full batches and partial ones, and each user gets exactly their own back.
    @Test func factsWrittenInBatchesComeBackPerUser() throws {
        try withDatabase { database, _ in
            let people = (0..<45).map { Fixtures.newUser(String(format: "user%02d", $0)) }
            let applied = try database.apply(Fixtures.batch(people.map(Fixtures.create)))
            let loaded = try database.loadUsers()
            #expect(loaded == applied.users)
            #expect(loaded.map(\.identities) == people.map(\.identities))
            #expect(loaded.map(\.assignments) == people.map(\.assignments))
        }
    }

    @Test func updatesReplaceFieldsAndFacts() throws {
        try withDatabase { database, _ in
            let alice = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))])).users[0]
            var renamed = alice
            renamed.email = "alice.smith@example.com"
            renamed.lastName = "Smith"
            renamed.type = .admin
            renamed.identities[0].dn = "uid=asmith,ou=people,dc=example,dc=com"
            renamed.assignments = [
                .role("admin", origin: .mapping(id: "ml-admins", source: "corp")),
                .project("apollo", role: .owner, origin: .manual),
            ]
            let later = Fixtures.now.addingTimeInterval(60)
            let applied = try database.apply(
                Fixtures.batch([Fixtures.change(.rename, from: alice, to: renamed)], run: "run-2", now: later))

            let stored = try #require(try database.user(id: alice.id))
            #expect(stored == applied.users[0])
            #expect(stored.email == "alice.smith@example.com" && stored.type == .admin)
            #expect(stored.assignments == renamed.assignments)
            #expect(stored.identities == renamed.identities)
            #expect(stored.createdAt == Fixtures.now && stored.updatedAt == later)
            #expect(try database.user(email: "alice@example.com") == nil)
        }
    }

    /// An update that keeps username, email and status sets only the other columns; the next,
    /// which deactivates, must still write the status and deactivation time (the keys' indexes
    /// depend on them), and a later email change the new email.
    @Test func detailUpdatesAndKeyUpdatesAreBothStored() throws {
        try withDatabase { database, _ in
            let alice = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))])).users[0]
            var renamed = alice
            renamed.firstName = "Alicia"
            renamed.type = .admin
            _ = try database.apply(Fixtures.batch([Fixtures.change(.update, from: alice, to: renamed)], run: "run-2"))
            var stored = try #require(try database.user(id: alice.id))
            #expect(stored.firstName == "Alicia" && stored.type == .admin && stored.status == .active)

            var inactive = stored
            inactive.status = .inactive
            inactive.deactivatedAt = Fixtures.now
            inactive.deactivatedBy = .sync
            _ = try database.apply(
                Fixtures.batch([Fixtures.change(.deactivate, from: stored, to: inactive)], run: "run-3"))
            stored = try #require(try database.user(id: alice.id))
            #expect(stored.status == .inactive && stored.deactivatedAt == Fixtures.now && stored.deactivatedBy == .sync)

            var moved = stored
            moved.email = "alicia@example.com"
            moved.lastName = "Moved"
            _ = try database.apply(Fixtures.batch([Fixtures.change(.update, from: stored, to: moved)], run: "run-4"))
            #expect(try database.user(email: "alicia@example.com")?.lastName == "Moved")
            #expect(try database.user(email: "alice@example.com") == nil)
        }
    }

    @Test func tombstoneFreesEmailAndIDsAreNeverReused() throws {
        try withDatabase { database, _ in
            let created = try database.apply(
                Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(Fixtures.newUser("bob"))]))
            let bob = created.users[1]
            var tombstone = bob
            tombstone.status = .deleted
            tombstone.assignments = []
            _ = try database.apply(Fixtures.batch([Fixtures.change(.delete, from: bob, to: tombstone)], run: "run-2"))

            let returning = try database.apply(
                Fixtures.batch([Fixtures.create(Fixtures.newUser("bob", source: "okta"))], run: "run-3")
            ).users[0]
            #expect(returning.id == 3)
            #expect(returning.id > bob.id)
            #expect(try database.user(email: "bob@example.com")?.id == returning.id)
            let users = try database.loadUsers()
            #expect(users.map(\.id) == [1, 2, 3])
            #expect(users[1].status == .deleted && users[1].displayName == "Deleted User")

            // Even a row removed outright leaves its id used.
            try database.connection.execute("DELETE FROM identities WHERE user_id = 3")
            try database.connection.execute("DELETE FROM assignments WHERE user_id = 3")
            try database.connection.execute("DELETE FROM users WHERE id = 3")
            let next = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("carol"))], run: "run-4"))
            #expect(next.users[0].id == 4)
        }
    }

    @Test func aBatchIsAllOrNothing() throws {
        try withDatabase { database, _ in
            let clash = Fixtures.newUser("alice2", email: "ALICE@example.com", source: "okta")
            #expect {
                try database.apply(
                    Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(clash)]))
            } throws: { error in
                (error as? SQLiteError)?.isUniqueViolation == true
            }
            #expect(try database.loadUsers().isEmpty)
            #expect(try database.auditRecords().isEmpty)
            #expect(try database.recentRuns().isEmpty)
            #expect(try database.verifyAudit() == .valid(count: 0))

            // Nothing of the failed batch lingers: not even the ids it drew.
            let applied = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
            #expect(applied.users[0].id == 1)
            #expect(applied.records.first?.seq == 1)
        }
    }

    @Test func anIdentityMayMoveBetweenUsersInOneBatch() throws {
        try withDatabase { database, _ in
            let created = try database.apply(
                Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(Fixtures.newUser("bob"))]))
            let (alice, bob) = (created.users[0], created.users[1])
            var bobAfter = bob
            bobAfter.identities.append(alice.identities[0])
            var aliceAfter = alice
            aliceAfter.identities = []
            // The user gaining the identity comes first: its insert must not meet the old row.
            _ = try database.apply(
                Fixtures.batch(
                    [
                        Fixtures.change(.update, from: bob, to: bobAfter),
                        Fixtures.change(.update, from: alice, to: aliceAfter),
                    ],
                    run: "run-2"))
            #expect(try database.user(id: bob.id)?.identities.count == 2)
            #expect(try database.user(id: alice.id)?.identities.isEmpty == true)
        }
    }

    @Test func updatingAMissingUserRollsBack() throws {
        try withDatabase { database, _ throws in
            var ghost = Fixtures.newUser("ghost")
            ghost.id = 42
            #expect(throws: StoreError.userNotFound(id: 42)) {
                try database.apply(
                    Fixtures.batch([
                        Fixtures.create(Fixtures.newUser("alice")),
                        Fixtures.change(.update, from: ghost, to: ghost),
                    ]))
            }
            #expect(try database.loadUsers().isEmpty)
        }
    }

    @Test func runsAndPasswordsAreRecorded() throws {
        try withDatabase { database, _ in
            var batch = Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))])
            batch.passwordHashes = [0: "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA"]
            batch.exitCode = 0
            let alice = try database.apply(batch).users[0]
            #expect(alice.hasPassword)
            #expect(try database.user(id: alice.id)?.hasPassword == true)

            let runs = try database.recentRuns(limit: 5)
            #expect(
                runs == [
                    RunRecord(
                        id: "run-1", startedAt: Fixtures.now, finishedAt: Fixtures.now, outcome: "applied",
                        summary: "1 changed", exitCode: 0)
                ])

            let records = try database.setPassword(
                userID: alice.id, phc: "$scrypt$new", mustChangePassword: true,
                events: [AuditEvent(action: "user.password", actor: "cli:root", userID: alice.id)], now: Fixtures.now)
            #expect(records.map(\.action) == ["user.password"])
            #expect(try database.passwordHash(userID: alice.id) == "$scrypt$new")
            #expect(try database.user(id: alice.id)?.mustChangePassword == true)
            #expect(!(try database.auditRecords().contains { $0.json().canonicalString.contains("scrypt") }))
        }
    }

    @Test func sourceStateRoundTrips() throws {
        try withDatabase { database, _ in
            #expect(try database.sourceState("corp", key: "cookie") == nil)
            try database.setSourceState("corp", key: "cookie", value: "abc")
            try database.setSourceState("corp", key: "cookie", value: "def")
            #expect(try database.sourceState("corp", key: "cookie") == "def")
            try database.setSourceState("corp", key: "cookie", value: nil)
            #expect(try database.sourceState("corp", key: "cookie") == nil)
        }
    }

    @Test(arguments: [
        ("2026-11-22T11:00:00.123Z", "2026-11-22T11:00:00.123Z"),
        ("2026-11-22T12:30:00.5+01:30", "2026-11-22T11:00:00.500Z"),
        ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        ("2026-11-22T11:00:00Z", "2026-11-22T11:00:00.000Z"),
    ])
    func timestampsRoundTrip(text: String, canonical: String) throws {
        let date = try #require(StoreTime.date(from: text))
        #expect(StoreTime.string(from: date) == canonical)
        #expect(StoreTime.date(from: canonical) == StoreTime.rounded(date))
    }

    @Test(arguments: ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22T11:00:00", "2026-11-22T11:00:00.Z"])
    func badTimestampsAreRefused(text: String) {
        #expect(StoreTime.date(from: text) == nil)
    }
}

import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// Schema 7 rebuilds the assignments table with its kind checked by equalities: every user's
/// facts come through in order, and a kind outside the three is still refused.
struct KindEqualitiesMigrationTests {
    @Test func assignmentsSurviveTheRebuildAndTheirKindIsStillChecked() throws {
        try withDatabase { (database, folder) throws in
            var users = [Fixtures.newUser("ann"), Fixtures.newUser("bob")]
            users[0].assignments = [
                .project("vision", role: .owner, origin: .manual), .group("ml", role: .admin, origin: .manual),
            ]
            users[1].assignments.insert(.role("zeta", origin: .manual), at: 0)
            _ = try database.apply(Fixtures.batch(users.map(Fixtures.create)))
            let before = try database.loadUsers()
            // As version 6 left it: its migration, run again, rebuilds the table with the list check.
            try database.connection.execute(Schema.migrations[5] + "\nPRAGMA user_version = 6;")
            let reopened = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            #expect(try reopened.connection.scalarText("PRAGMA user_version") == "\(Schema.currentVersion)")
            #expect(try reopened.loadUsers() == before)
            #expect(before[1].assignments.first?.name == "zeta")
            let table = try reopened.connection.scalarText(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'assignments'")
            #expect(table?.contains("kind = 'role' OR kind = 'group' OR kind = 'project'") == true)
            let indexes = try reopened.connection.scalarText(
                "SELECT group_concat(name, ' ') FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'assignments'")
            #expect(indexes?.contains("assignments_user") == true)
            #expect(indexes?.contains("assignments_project_owner") == true)
            let id = before[0].id
            #expect(throws: (any Error).self) {
                try reopened.connection.execute(
                    "INSERT INTO assignments (user_id, kind, name, origin) VALUES (\(id), 'team', 'x', 'manual')")
            }
            try reopened.connection.execute(
                "INSERT INTO assignments (user_id, kind, name, origin) VALUES (\(id), 'role', 'x', 'manual')")
        }
    }
}

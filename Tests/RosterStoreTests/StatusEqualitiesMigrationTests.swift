import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// Schema 8 rebuilds the users table with its status checked by equalities: users, their ids,
/// the AUTOINCREMENT high-water mark, indexes and the references to them all come through, and
/// foreign keys are enforced again afterwards.
struct StatusEqualitiesMigrationTests {
    @Test func usersSurviveTheRebuildAndEverythingStillReferencesThem() throws {
        try withDatabase { (database, folder) throws in
            var users = [Fixtures.newUser("ann"), Fixtures.newUser("bob")]
            users[0].assignments = [.group("ml", role: .admin, origin: .manual)]
            _ = try database.apply(Fixtures.batch(users.map(Fixtures.create)))
            let before = try database.loadUsers()
            // As version 7 left it: version 8's rebuild, with the list check it replaced; ids up to
            // 50 handed out once.
            let version7 = Schema.migrations[7].replacingOccurrences(
                of: "status = 'active' OR status = 'inactive' OR status = 'deleted'",
                with: "status IN ('active', 'inactive', 'deleted')")
            try database.connection.execute(
                "PRAGMA foreign_keys = OFF;\n" + version7
                    + """
                    UPDATE sqlite_sequence SET seq = 50 WHERE name = 'users';
                    PRAGMA foreign_keys = ON;
                    PRAGMA user_version = 7;
                    """)
            #expect(
                try database.connection.scalarText("SELECT sql FROM sqlite_schema WHERE name = 'users'")?
                    .contains("status IN ('active', 'inactive', 'deleted')") == true)
            let reopened = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            #expect(try reopened.connection.scalarText("PRAGMA user_version") == "\(Schema.currentVersion)")
            #expect(try reopened.loadUsers() == before)
            #expect(try reopened.connection.scalarText("PRAGMA foreign_keys") == "1")
            let table = try reopened.connection.scalarText(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'")
            #expect(table?.contains("status = 'active' OR status = 'inactive' OR status = 'deleted'") == true)
            let indexes = try reopened.connection.scalarText(
                "SELECT group_concat(name, ' ') FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users'")
            #expect(indexes == "users_email_key users_username_key users_inactive")
            // The next user gets an id above every one handed out before.
            _ = try reopened.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("cy"))], run: "run-2"))
            #expect(try reopened.loadUsers().map(\.id).max() == 51)
            // Facts still reference users, and a reference to nobody is refused again.
            #expect(throws: (any Error).self) {
                try reopened.connection.execute(
                    "INSERT INTO identities (user_id, source, external_id) VALUES (999, 'corp', 'x')")
            }
            #expect(throws: (any Error).self) {
                try reopened.connection.execute(
                    "UPDATE users SET status = 'gone' WHERE id = \(before[0].id)")
            }
            #expect(try reopened.connection.scalarText("PRAGMA foreign_key_check") == nil)
        }
    }
}

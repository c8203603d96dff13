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
            // As version 7 left it: the status checked by a list; ids up to 50 handed out once.
            try database.connection.execute(
                """
                PRAGMA foreign_keys = OFF;
                CREATE TABLE users_v7 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL,
                    username_key TEXT NOT NULL,
                    email TEXT NOT NULL,
                    email_key TEXT NOT NULL,
                    first_name TEXT NOT NULL DEFAULT '',
                    last_name TEXT NOT NULL DEFAULT '',
                    type TEXT NOT NULL CHECK (type IN ('admin', 'user')),
                    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'deleted')),
                    origin TEXT NOT NULL,
                    last_login TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    deactivated_at TEXT,
                    deactivated_by TEXT CHECK (deactivated_by IN ('sync', 'admin')),
                    password_hash TEXT,
                    must_change_password INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO users_v7 SELECT * FROM users;
                DROP TABLE users;
                ALTER TABLE users_v7 RENAME TO users;
                CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE status <> 'deleted';
                CREATE UNIQUE INDEX users_username_key ON users (username_key)
                    WHERE status <> 'deleted' AND username_key <> '';
                CREATE INDEX users_inactive ON users (deactivated_at) WHERE status = 'inactive';
                UPDATE sqlite_sequence SET seq = 50 WHERE name = 'users';
                PRAGMA foreign_keys = ON;
                PRAGMA user_version = 7;
                """)
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

import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// Schema 6 rebuilds the assignments table without its UNIQUE index: every user's facts come
/// through, in the order they were written.
struct LeanerIndexesMigrationTests {
    @Test func assignmentsSurviveTheRebuildInOrder() throws {
        try withDatabase { (database, folder) throws in
            var users = [Fixtures.newUser("ann"), Fixtures.newUser("bob")]
            // Out of key order on purpose: the stored order is the writer's.
            users[1].assignments.insert(.role("zeta", origin: .manual), at: 0)
            _ = try database.apply(Fixtures.batch(users.map(Fixtures.create)))
            let before = try database.loadUsers()
            // As version 5 left it: the UNIQUE index over every column, the audit email index.
            try database.connection.execute(
                """
                DROP INDEX assignments_user;
                DROP INDEX assignments_project_owner;
                CREATE TABLE assignments_v5 (
                    user_id INTEGER NOT NULL REFERENCES users (id),
                    kind TEXT NOT NULL CHECK (kind IN ('role', 'group', 'project')),
                    name TEXT NOT NULL,
                    detail TEXT NOT NULL DEFAULT '',
                    origin TEXT NOT NULL,
                    UNIQUE (user_id, kind, name, detail, origin)
                );
                INSERT INTO assignments_v5 SELECT * FROM assignments ORDER BY rowid;
                DROP TABLE assignments;
                ALTER TABLE assignments_v5 RENAME TO assignments;
                CREATE INDEX assignments_project_owner ON assignments (user_id)
                    WHERE kind = 'project' AND detail = 'owner';
                CREATE INDEX audit_email ON audit (email_key);
                PRAGMA user_version = 5;
                """)
            let reopened = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            #expect(try reopened.connection.scalarText("PRAGMA user_version") == "\(Schema.currentVersion)")
            #expect(try reopened.loadUsers() == before)
            #expect(before[1].assignments.first?.name == "zeta")
            let indexes = try reopened.connection.scalarText(
                """
                SELECT group_concat(name, ' ') FROM sqlite_schema
                WHERE type = 'index' AND tbl_name IN ('assignments', 'audit')
                """)
            #expect(indexes?.contains("assignments_user") == true)
            #expect(indexes?.contains("autoindex_assignments") == false)
            #expect(indexes?.contains("audit_email") == false)
            #expect(try reopened.verifyAudit() == .valid(count: 4))
        }
    }
}

import Foundation
import RosterCore

extension DirectoryDatabase {
    // MARK: - Reading

    /// Every user, tombstones included, with identities and assignments, ordered by id.
    ///
    /// Three queries in all, whatever the number of users.
    public func loadUsers() throws -> [DirectoryUser] {
        try fetchUsers(
            users: Self.selectUsers + " ORDER BY id",
            identities: Self.selectIdentities + " ORDER BY user_id, rowid",
            assignments: Self.selectAssignments + " ORDER BY user_id, rowid",
            values: [])
    }

    /// The user with `id` (a tombstone too), or nil.
    public func user(id: Int64) throws -> DirectoryUser? {
        try fetchUsers(
            users: Self.selectUsers + " WHERE id = ?",
            identities: Self.selectIdentities + " WHERE user_id = ? ORDER BY rowid",
            assignments: Self.selectAssignments + " WHERE user_id = ? ORDER BY rowid",
            values: [.integer(id)]
        ).first
    }

    /// The non-deleted user with this email, compared case-insensitively, or nil.
    public func user(email: String) throws -> DirectoryUser? {
        let filter = "(SELECT id FROM users WHERE email_key = ? AND status <> 'deleted')"
        return try fetchUsers(
            users: Self.selectUsers + " WHERE id = " + filter,
            identities: Self.selectIdentities + " WHERE user_id = " + filter + " ORDER BY rowid",
            assignments: Self.selectAssignments + " WHERE user_id = " + filter + " ORDER BY rowid",
            values: [.text(EmailAddress.key(email))]
        ).first
    }

    /// The non-deleted user with this username, compared case-insensitively, or nil.
    public func user(username: String) throws -> DirectoryUser? {
        // `username_key <> ''` implies the partial index's condition, so SQLite searches it.
        let filter = "(SELECT id FROM users WHERE username_key = ? AND username_key <> '' AND status <> 'deleted')"
        return try fetchUsers(
            users: Self.selectUsers + " WHERE id = " + filter,
            identities: Self.selectIdentities + " WHERE user_id = " + filter + " ORDER BY rowid",
            assignments: Self.selectAssignments + " WHERE user_id = " + filter + " ORDER BY rowid",
            values: [.text(LDAPText.fold(username))]
        ).first
    }

    /// The user an admin names as `UserReference` reads it, found by its indexes instead of in
    /// every user: an id (a tombstone too), else the first by id of the users not deleted whose
    /// email or username is `reference`, compared case-insensitively.
    public func user(reference: String) throws -> DirectoryUser? {
        if let id = Int64(reference), let user = try user(id: id) { return user }
        guard !LDAPText.fold(reference).isEmpty else { return nil }
        return try [user(email: reference), user(username: reference)].compactMap { $0 }.min { $0.id < $1.id }
    }

    static let selectUsers = """
        SELECT id, username, email, first_name, last_name, type, status, origin, last_login, created_at,
            updated_at, deactivated_at, deactivated_by, password_hash IS NOT NULL, must_change_password
        FROM users
        """
    static let selectIdentities = "SELECT user_id, source, external_id, dn FROM identities"
    static let selectAssignments = "SELECT user_id, kind, name, detail, origin FROM assignments"

    /// Runs the three queries (all bound to `values`) and joins their rows in memory.
    func fetchUsers(users: String, identities: String, assignments: String, values: [SQLiteValue]) throws
        -> [DirectoryUser]
    {
        var result: [DirectoryUser] = []
        var index: [Int64: Int] = [:]
        var timestamps = TimestampMemo()
        try statement(users).query(values) { row in
            index[row.int64(0)] = result.count
            result.append(try Self.decodeUser(row, timestamps: &timestamps))
        }
        try statement(identities).query(values) { row in
            let userID = row.int64(0)
            guard let position = index[userID] else { return }
            result[position].identities.append(
                ExternalIdentity(source: row.text(1) ?? "", externalID: row.text(2) ?? "", dn: row.text(3)))
        }
        // A directory has a few origins, each in many rows: its users share one string per origin.
        var origins: [String: AssignmentOrigin] = [:]
        try statement(assignments).query(values) { row in
            let userID = row.int64(0)
            guard let position = index[userID] else { return }
            let kindText = row.text(1) ?? ""
            let originText = row.text(4) ?? ""
            if origins[originText] == nil { origins[originText] = AssignmentOrigin(originText) }
            guard let kind = AssignmentKind(rawValue: kindText), let origin = origins[originText] else {
                throw StoreError.corruptRow(
                    table: "assignments", key: "user \(userID)",
                    problem: "kind \"\(kindText)\", origin \"\(originText)\"")
            }
            result[position].assignments.append(
                Assignment(kind: kind, name: row.text(2) ?? "", detail: row.text(3) ?? "", origin: origin))
        }
        return result
    }

    private static func decodeUser(_ row: SQLiteStatement, timestamps: inout TimestampMemo) throws -> DirectoryUser {
        let id = row.int64(0)
        func corrupt(_ problem: String) -> StoreError {
            .corruptRow(table: "users", key: "id \(id)", problem: problem)
        }
        func date(_ column: Int32, _ name: String) throws -> Date? {
            guard let text = row.text(column) else { return nil }
            guard let date = timestamps.date(from: text) else {
                throw corrupt("\(name) \"\(text)\" is not a timestamp")
            }
            return date
        }
        guard let type = UserType(rawValue: row.text(5) ?? "") else { throw corrupt("type \"\(row.text(5) ?? "")\"") }
        guard let status = UserStatus(rawValue: row.text(6) ?? "") else {
            throw corrupt("status \"\(row.text(6) ?? "")\"")
        }
        var deactivatedBy: DeactivationActor?
        if let text = row.text(12) {
            guard let actor = DeactivationActor(rawValue: text) else { throw corrupt("deactivated_by \"\(text)\"") }
            deactivatedBy = actor
        }
        guard let createdAt = try date(9, "created_at"), let updatedAt = try date(10, "updated_at") else {
            throw corrupt("created_at or updated_at is missing")
        }
        return DirectoryUser(
            id: id, username: row.text(1) ?? "", email: row.text(2) ?? "", firstName: row.text(3) ?? "",
            lastName: row.text(4) ?? "", type: type, status: status, origin: row.text(7) ?? "",
            lastLogin: try date(8, "last_login"), createdAt: createdAt, updatedAt: updatedAt,
            deactivatedAt: try date(11, "deactivated_at"), deactivatedBy: deactivatedBy,
            mustChangePassword: row.bool(14), hasPassword: row.bool(13))
    }

    // MARK: - Writing (inside a transaction)

    /// The id AUTOINCREMENT would give the next new row: past the highest ever handed out.
    func nextUserID() throws -> Int64 {
        var next: Int64 = 1
        try statement(
            """
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'users'), 0),
                coalesce((SELECT max(id) FROM users), 0)) + 1
            """
        ).query { next = $0.int64(0) }
        return next
    }

    /// Overwrites the row of `user.id` with `user`'s fields, keeping `created_at` and the password hash.
    func updateUserRow(_ user: DirectoryUser, now: Date) throws {
        if try updateUserDetails(user, now: now) { return }
        var values = SQLiteBindings()
        Self.addRowValues(user, to: &values)
        values.text(user.lastLogin?.storeText)
        values.text(now.storeText)
        values.text(user.deactivatedAt?.storeText)
        values.text(user.deactivatedBy?.rawValue)
        values.bool(user.mustChangePassword)
        values.integer(user.id)
        try statement(
            """
            UPDATE users SET username = ?, username_key = ?, email = ?, email_key = ?, first_name = ?, last_name = ?,
                type = ?, status = ?, origin = ?, last_login = ?, updated_at = ?, deactivated_at = ?,
                deactivated_by = ?, must_change_password = ?
            WHERE id = ?
            """
        ).execute(values)
        guard connection.changes == 1 else { throw StoreError.userNotFound(id: user.id) }
        if user.status == .deleted {
            // A tombstone can never sign in: its password goes with its name and email.
            try statement("UPDATE users SET password_hash = NULL, must_change_password = 0 WHERE id = ?")
                .execute([.integer(user.id)])
        }
    }

    /// The update of a row whose username, email, status and deactivation time stay as stored:
    /// only the other columns are set. SQLite rewrites the entry of every index over a column an
    /// UPDATE sets, even to the value it had, and all three unique or partial indexes of `users`
    /// cover those four; a sync that changes names touches one page per user instead of three.
    /// Returns false, having written nothing, when one of the four differs from the stored row.
    private func updateUserDetails(_ user: DirectoryUser, now: Date) throws -> Bool {
        // A tombstone's row is written whole: its password must go with it.
        guard user.status != .deleted else { return false }
        try statement(
            """
            UPDATE users SET first_name = ?, last_name = ?, type = ?, origin = ?, last_login = ?, updated_at = ?,
                deactivated_by = ?, must_change_password = ?
            WHERE id = ? AND username = ? AND email = ? AND status = ? AND deactivated_at IS ?
            """
        ).execute([
            .text(user.firstName), .text(user.lastName), .text(user.type.rawValue), .text(user.origin),
            .optional(user.lastLogin?.storeText), .text(now.storeText), .optional(user.deactivatedBy?.rawValue),
            .bool(user.mustChangePassword), .integer(user.id), .text(user.username), .text(user.email),
            .text(user.status.rawValue), .optional(user.deactivatedAt?.storeText),
        ])
        return connection.changes == 1
    }

    /// username … origin, in column order, for both INSERT and UPDATE.
    static func addRowValues(_ user: DirectoryUser, to row: inout SQLiteBindings) {
        row.text(user.username)
        row.text(LDAPText.fold(user.username))
        row.text(user.email)
        row.text(EmailAddress.key(user.email))
        row.text(user.firstName)
        row.text(user.lastName)
        row.text(user.type.rawValue)
        row.text(user.status.rawValue)
        row.text(user.origin)
    }

    /// Removes every identity and assignment of `userID`, before a `FactWriter` writes the new ones.
    func deleteFacts(of userID: Int64) throws {
        try statement("DELETE FROM identities WHERE user_id = ?").execute([.integer(userID)])
        try statement("DELETE FROM assignments WHERE user_id = ?").execute([.integer(userID)])
    }
}

/// New users rows, written several to a statement under ids handed out here, as AUTOINCREMENT
/// would hand them out: one statement a row (to read back each row's id) was most of what a first
/// sync's users cost. `finish` must run before anything reads `users` or references its ids.
struct UserRowWriter {
    private var rows: BatchedInsert
    /// The id the next inserted user gets: ids are handed out in order.
    private(set) var nextID: Int64

    init(_ database: DirectoryDatabase) throws {
        nextID = try database.nextUserID()
        rows = BatchedInsert(
            database,
            """
            INSERT INTO users (id, username, username_key, email, email_key, first_name, last_name, type, status,
                origin, last_login, created_at, updated_at, deactivated_at, deactivated_by, password_hash,
                must_change_password)
            """,
            columnCount: 17)
    }

    /// Adds `user` as a new row stamped `now`; returns its id. Identities and assignments are written separately.
    mutating func insert(_ user: DirectoryUser, passwordHash: String?, now: Date) throws -> Int64 {
        let id = nextID
        nextID += 1
        let nowText = now.storeText
        try rows.addRow { row in
            row.integer(id)
            DirectoryDatabase.addRowValues(user, to: &row)
            row.text(user.lastLogin?.storeText)
            row.text(nowText)
            row.text(nowText)
            row.text(user.deactivatedAt?.storeText)
            row.text(user.deactivatedBy?.rawValue)
            row.text(passwordHash)
            row.bool(user.mustChangePassword)
        }
        return id
    }

    /// Whether every row added so far is written (facts may then reference them).
    var isFlushed: Bool { rows.isEmpty }

    mutating func finish() throws {
        try rows.flush()
    }
}

/// Writes users' identities and assignments, several rows to a statement (`BatchedInsert`);
/// `finish` must run before anything reads them.
struct FactWriter {
    private var identities: BatchedInsert
    private var assignments: BatchedInsert

    init(_ database: DirectoryDatabase) {
        identities = BatchedInsert(
            database, "INSERT INTO identities (user_id, source, external_id, dn)", columnCount: 4)
        assignments = BatchedInsert(
            database, "INSERT INTO assignments (user_id, kind, name, detail, origin)", columnCount: 5)
    }

    mutating func add(_ user: DirectoryUser) throws {
        for identity in user.identities {
            try identities.addRow { row in
                row.integer(user.id)
                row.text(identity.source)
                row.text(identity.externalID)
                row.text(identity.dn)
            }
        }
        // The same fact twice from one origin is one assignment; keep the first, in order. Most
        // users have a handful: comparing those pairwise costs less than hashing each into a set.
        let all = user.assignments
        var seen = Set<Assignment>()
        func isFirst(_ position: Int) -> Bool {
            guard all.count > 16 else { return !all[..<position].contains(all[position]) }
            return seen.insert(all[position]).inserted
        }
        for (position, assignment) in all.enumerated() where isFirst(position) {
            try assignments.addRow { row in
                row.integer(user.id)
                row.text(assignment.kind.rawValue)
                row.text(assignment.name)
                row.text(assignment.detail)
                row.text(assignment.origin.description)
            }
        }
    }

    mutating func finish() throws {
        try identities.flush()
        try assignments.flush()
    }
}

/// The last timestamp parsed, by its text: the users written by one batch share `created_at`
/// and `updated_at`, so a load of a synced directory parses a handful of distinct texts.
private struct TimestampMemo {
    private var last: (text: String, date: Date)?

    mutating func date(from text: String) -> Date? {
        if let last, last.text == text { return last.date }
        guard let date = StoreTime.date(from: text) else { return nil }
        last = (text, date)
        return date
    }
}

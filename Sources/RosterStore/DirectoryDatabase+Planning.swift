import Foundation
import RosterCore

/// What a run that plans only the people its changes touch asks of the directory.
extension DirectoryDatabase: PlanningLookup {
    public func directoryUsers(matching keys: DirectoryKeys) throws -> [DirectoryUser] {
        var ids = keys.ids
        func collect(_ sql: String, _ values: [SQLiteValue]) throws {
            try statement(sql).query(values) { ids.insert($0.int64(0)) }
        }
        for (source, externalIDs) in keys.identities where !externalIDs.isEmpty {
            try collect(
                "SELECT user_id FROM identities WHERE source = ? AND external_id IN (SELECT value FROM json_each(?))",
                [.text(source), .text(Self.jsonArray(externalIDs))])
        }
        var found = try users(ids: ids).filter { $0.status != .deleted }
        // An email or username key is unique among the users that are not deleted: one that a
        // user found by id or identity holds leads to that user only, and is not looked up (for
        // a changed entry whose email and username stay, that is all of them).
        let emailKeys = keys.emailKeys.subtracting(found.map { EmailAddress.key($0.email) })
        let usernameKeys = keys.usernameKeys.subtracting(found.map { LDAPText.fold($0.username) })
        let foundIDs = Set(found.map(\.id))
        ids = []
        if !emailKeys.isEmpty {
            try collect(
                "SELECT id FROM users WHERE status <> 'deleted' AND email_key IN (SELECT value FROM json_each(?))",
                [.text(Self.jsonArray(emailKeys))])
        }
        if !usernameKeys.isEmpty {
            // `username_key <> ''` lets SQLite use the partial index `users_username_key`, whose
            // condition the query must imply; without it every user's row was read (no planned
            // entry asks for an empty username).
            try collect(
                """
                SELECT id FROM users WHERE status <> 'deleted' AND username_key <> ''
                    AND username_key IN (SELECT value FROM json_each(?))
                """,
                [.text(Self.jsonArray(usernameKeys))])
        }
        ids.subtract(foundIDs)
        guard !ids.isEmpty else { return found }
        found += try users(ids: ids)
        return found.sorted { $0.id < $1.id }
    }

    /// The users with these ids (tombstones too), ordered by id.
    public func users(ids: Set<Int64>) throws -> [DirectoryUser] {
        guard !ids.isEmpty else { return [] }
        let list = "(SELECT value FROM json_each(?))"
        return try fetchUsers(
            users: Self.selectUsers + " WHERE id IN \(list) ORDER BY id",
            identities: Self.selectIdentities + " WHERE user_id IN \(list) ORDER BY user_id, rowid",
            assignments: Self.selectAssignments + " WHERE user_id IN \(list) ORDER BY user_id, rowid",
            values: [.text(Self.jsonArray(ids.map(String.init)))])
    }

    /// Users whose plan does not follow from any change: those inactive (by sync) since before
    /// `inactiveBefore`, whom `delete_after` may expire, and every project owner (a project has one).
    public func planningSeeds(inactiveBefore: Date?) throws -> Set<Int64> {
        var ids = Set<Int64>()
        if let inactiveBefore {
            try statement(
                """
                SELECT id FROM users WHERE status = 'inactive' AND deactivated_by = 'sync' AND deactivated_at <= ?
                """
            ).query([.text(inactiveBefore.storeText)]) { ids.insert($0.int64(0)) }
        }
        try statement("SELECT DISTINCT user_id FROM assignments WHERE kind = 'project' AND detail = 'owner'")
            .query { ids.insert($0.int64(0)) }
        return ids
    }

    /// Managed users (non-deleted, with an identity), in all and per source.
    public func managedUserCounts() throws -> (all: Int, bySource: [String: Int]) {
        var all = 0
        try statement(
            """
            SELECT count(*) FROM users
            WHERE status <> 'deleted' AND EXISTS (SELECT 1 FROM identities WHERE user_id = users.id)
            """
        ).query { all = Int($0.int64(0)) }
        var bySource: [String: Int] = [:]
        try statement(
            """
            SELECT identities.source, count(DISTINCT identities.user_id) FROM identities
            JOIN users ON users.id = identities.user_id
            WHERE users.status <> 'deleted' GROUP BY identities.source
            """
        ).query { bySource[$0.text(0) ?? ""] = Int($0.int64(1)) }
        return (all, bySource)
    }

    /// Users by status (`active`, `inactive`, `deleted`).
    public func userCountsByStatus() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try statement("SELECT status, count(*) FROM users GROUP BY status").query {
            counts[$0.text(0) ?? ""] = Int($0.int64(1))
        }
        return counts
    }
}

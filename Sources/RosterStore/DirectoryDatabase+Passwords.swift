import Foundation
import RosterCore

extension DirectoryDatabase {
    /// The PHC string of `userID`'s password, or nil when the user has none (or does not exist).
    /// Never log or audit it.
    public func passwordHash(userID: Int64) throws -> String? {
        var hash: String?
        try statement("SELECT password_hash FROM users WHERE id = ?").query([.integer(userID)]) { hash = $0.text(0) }
        return hash
    }

    /// Sets (or with nil, removes) a user's password hash and `must_change_password`, with `events`
    /// (such as `user.password`, without the hash) in the same transaction.
    public func setPassword(
        userID: Int64, phc: String?, mustChangePassword: Bool, events: [AuditEvent], runID: String? = nil,
        now: Date
    ) throws -> [AuditRecord] {
        let records = try connection.transaction {
            try statement(
                "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?"
            ).execute([.optional(phc), .bool(mustChangePassword), .text(now.storeText), .integer(userID)])
            guard connection.changes == 1 else { throw StoreError.userNotFound(id: userID) }
            return try appendRecords(events, runID: runID, now: now)
        }
        updateAuditMirror()
        return records
    }
}

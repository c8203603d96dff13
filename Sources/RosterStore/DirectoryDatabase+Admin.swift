import Foundation

extension DirectoryDatabase {
    /// Drops the password hashes that tombstones still hold; returns how many.
    ///
    /// A deleted user keeps its row but nothing personal (SPEC §2), and a password hash is
    /// personal. An update keeps the hash by design (`updateUserRow`), so deletions are followed
    /// by this sweep; it is idempotent and also catches tombstones that sync made.
    @discardableResult
    public func forgetPasswordsOfTombstones() throws -> Int {
        try connection.transaction {
            try statement(
                """
                UPDATE users SET password_hash = NULL, must_change_password = 0
                WHERE status = 'deleted' AND (password_hash IS NOT NULL OR must_change_password <> 0)
                """
            ).execute([])
            return connection.changes
        }
    }
}

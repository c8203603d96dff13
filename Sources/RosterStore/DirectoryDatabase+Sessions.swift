import Foundation
import RosterCore

/// OIDC logins: the user's change, grant, session, `last_login` and `oidc.login` in one transaction.
extension DirectoryDatabase {
    /// Applies `batch` (the planner's change for the person logging in, or none) and, in the same
    /// transaction, stores `grant`, records `session`, sets `last_login` and appends `loginEvent`.
    ///
    /// A `session.userID` or `loginEvent.userID` of 0 stands for the user of the batch's first
    /// change: the id the store assigns when the login creates the user.
    public func applyLogin(_ batch: ApplyBatch, grant: OIDCGrant, session: UserSession, loginEvent: AuditEvent)
        throws -> AppliedBatch
    {
        try apply(batch) { users in
            let userID = session.userID != 0 ? session.userID : (users.first?.id ?? 0)
            guard userID > 0 else {
                throw StoreError.invalidChange("a login session needs a user; the batch has no change to take it from")
            }
            try statement("UPDATE users SET last_login = ? WHERE id = ?").execute([
                .text(session.startedAt.storeText), .integer(userID),
            ])
            guard connection.changes == 1 else { throw StoreError.userNotFound(id: userID) }
            try statement(
                "INSERT INTO sessions (user_id, source, kind, client, started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute([
                .integer(userID), .text(session.source), .text(session.kind.rawValue), .text(session.client),
                .text(session.startedAt.storeText), .optional(session.expiresAt?.storeText),
            ])
            try upsertGrant(grant)
            var event = loginEvent
            if event.userID == 0 { event.userID = userID }
            return [event]
        }
    }

    /// The sessions of `userID`, newest first.
    public func sessions(userID: Int64) throws -> [UserSession] {
        var sessions: [UserSession] = []
        try statement(
            """
            SELECT id, source, kind, client, started_at, expires_at FROM sessions WHERE user_id = ?
            ORDER BY started_at DESC, id DESC
            """
        ).query([.integer(userID)]) { row in
            let id = row.int64(0)
            guard let kind = SessionKind(rawValue: row.text(2) ?? ""),
                let startedAt = row.text(4).flatMap(StoreTime.date(from:))
            else {
                throw StoreError.corruptRow(
                    table: "sessions", key: "id \(id)", problem: "kind or started_at does not decode")
            }
            sessions.append(
                UserSession(
                    id: id, userID: userID, source: row.text(1) ?? "", kind: kind, client: row.text(3) ?? "",
                    startedAt: startedAt, expiresAt: row.text(5).flatMap(StoreTime.date(from:))))
        }
        return sessions
    }
}

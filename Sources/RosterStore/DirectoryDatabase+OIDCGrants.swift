import Foundation
import RosterCore

/// The OIDC sources' grants: claims last confirmed by the issuer and sealed refresh tokens.
extension DirectoryDatabase: OIDCGrantStore {
    public func oidcGrants(source: String) throws -> [OIDCGrant] {
        var grants: [OIDCGrant] = []
        try statement(
            """
            SELECT subject, refresh_token, claims, claims_at, refreshed_at, stale, problem, withdrawn_at
            FROM oidc_grants WHERE source = ? ORDER BY subject
            """
        ).query([.text(source)]) { row in
            let subject = row.text(0) ?? ""
            func corrupt(_ problem: String) -> StoreError {
                .corruptRow(table: "oidc_grants", key: "\(source)/\(subject)", problem: problem)
            }
            guard let claimsText = row.text(2), let claims = try? JSONValue.parse(Data(claimsText.utf8)) else {
                throw corrupt("claims are not JSON")
            }
            guard let claimsAt = row.text(3).flatMap(StoreTime.date(from:)) else {
                throw corrupt("claims_at is not a timestamp")
            }
            var sealed: [UInt8]?
            if let text = row.text(1) {
                guard let data = Data(base64Encoded: text) else { throw corrupt("refresh_token is not base64") }
                sealed = [UInt8](data)
            }
            grants.append(
                OIDCGrant(
                    source: source, subject: subject, sealedRefreshToken: sealed, claims: claims,
                    claimsAt: claimsAt, refreshedAt: row.text(4).flatMap(StoreTime.date(from:)),
                    stale: row.bool(5), problem: row.text(6),
                    withdrawnAt: row.text(7).flatMap(StoreTime.date(from:))))
        }
        return grants
    }

    public func storeRefreshToken(source: String, subject: String, sealed: [UInt8], now: Date) throws {
        try connection.transaction {
            try statement(
                "UPDATE oidc_grants SET refresh_token = ?, refreshed_at = ? WHERE source = ? AND subject = ?"
            ).execute([
                .text(Data(sealed).base64EncodedString()), .text(now.storeText), .text(source), .text(subject),
            ])
            guard connection.changes == 1 else { throw Self.noGrant(source, subject) }
        }
    }

    public func storeConfirmedClaims(source: String, subject: String, claims: JSONValue, now: Date) throws {
        try connection.transaction {
            try statement(
                """
                UPDATE oidc_grants SET claims = ?, claims_at = ?, refreshed_at = ?, stale = 0, problem = NULL
                WHERE source = ? AND subject = ?
                """
            ).execute([
                .text(claims.canonicalString), .text(now.storeText), .text(now.storeText), .text(source),
                .text(subject),
            ])
            guard connection.changes == 1 else { throw Self.noGrant(source, subject) }
        }
    }

    public func markStale(source: String, subject: String, problem: String, now: Date) throws {
        try connection.transaction {
            try statement(
                "UPDATE oidc_grants SET stale = 1, problem = ?, refreshed_at = ? WHERE source = ? AND subject = ?"
            ).execute([.text(problem), .text(now.storeText), .text(source), .text(subject)])
            guard connection.changes == 1 else { throw Self.noGrant(source, subject) }
        }
    }

    public func withdraw(
        source: String, subject: String, externalID: String, problem: String, event: AuditEvent, now: Date
    ) throws {
        try connection.transaction {
            try statement(
                """
                UPDATE oidc_grants SET refresh_token = NULL, withdrawn_at = ?, refreshed_at = ?, stale = 0,
                    problem = ?
                WHERE source = ? AND subject = ?
                """
            ).execute([.text(now.storeText), .text(now.storeText), .text(problem), .text(source), .text(subject)])
            guard connection.changes == 1 else { throw Self.noGrant(source, subject) }
            var event = event
            if event.userID == nil, let userID = try userID(source: source, externalID: externalID) {
                event.userID = userID
                try statement("SELECT email FROM users WHERE id = ?").query([.integer(userID)]) {
                    event.email = $0.text(0)
                }
            }
            _ = try appendRecords([event], runID: nil, now: now)
        }
        updateAuditMirror()
    }

    /// Writes a grant as a login leaves it (fresh claims, a new token or none, not withdrawn);
    /// must be called inside a transaction.
    func upsertGrant(_ grant: OIDCGrant) throws {
        try statement(
            """
            INSERT INTO oidc_grants (source, subject, refresh_token, claims, claims_at, refreshed_at, stale, problem,
                withdrawn_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source, subject) DO UPDATE SET refresh_token = excluded.refresh_token,
                claims = excluded.claims, claims_at = excluded.claims_at, refreshed_at = excluded.refreshed_at,
                stale = excluded.stale, problem = excluded.problem, withdrawn_at = excluded.withdrawn_at
            """
        ).execute([
            .text(grant.source), .text(grant.subject),
            .optional(grant.sealedRefreshToken.map { Data($0).base64EncodedString() }),
            .text(grant.claims.canonicalString), .text(grant.claimsAt.storeText),
            .optional(grant.refreshedAt?.storeText), .bool(grant.stale), .optional(grant.problem),
            .optional(grant.withdrawnAt?.storeText),
        ])
    }

    /// The user holding the identity (`source`, `externalID`), if any: names audit records.
    public func userID(source: String, externalID: String) throws -> Int64? {
        var id: Int64?
        try statement("SELECT user_id FROM identities WHERE source = ? AND external_id = ?").query([
            .text(source), .text(externalID),
        ]) { id = $0.int64(0) }
        return id
    }

    private static func noGrant(_ source: String, _ subject: String) -> StoreError {
        .invalidChange("source \(source) has no stored OIDC grant for subject \(subject)")
    }
}

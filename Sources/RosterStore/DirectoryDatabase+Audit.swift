import Foundation
import RosterCore
import RosterCrypto

extension DirectoryDatabase {
    // MARK: - Appending

    /// Appends `events` as audit records in their own transaction (`run.abort`, CLI actions).
    /// With `run`, that run's row is written in the same transaction.
    public func appendAudit(_ events: [AuditEvent], runID: String?, now: Date, run: RunRecord? = nil) throws
        -> [AuditRecord]
    {
        let records = try connection.transaction {
            let records = try appendRecords(events, runID: runID, now: now)
            if let run { try writeRun(run) }
            return records
        }
        updateAuditMirror()
        return records
    }

    /// Chains `events` onto the log; must be called inside a transaction.
    func appendRecords(_ events: [AuditEvent], runID: String?, now: Date) throws -> [AuditRecord] {
        guard !events.isEmpty else { return [] }
        var appender = try AuditAppender(database: self, runID: runID, now: now, keepsRecords: true)
        try appender.append(events)
        return try appender.finish()
    }

    /// The last record's seq and hash, or 0 and the genesis hash for an empty log.
    func lastAuditLink() throws -> (seq: Int64, hash: String) {
        var link: (seq: Int64, hash: String) = (0, AuditRecord.genesisHash)
        try statement("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").query { row in
            link = (row.int64(0), row.text(1) ?? "")
        }
        return link
    }

    // MARK: - Reading

    /// The records matching `filter`, oldest first, rebuilt from their stored documents.
    public func auditRecords(_ filter: AuditFilter = AuditFilter()) throws -> [AuditRecord] {
        // The SQL is assembled from fixed fragments only; every value is bound.
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let since = filter.since {
            conditions.append("time >= ?")
            values.append(.text(since.storeText))
        }
        if let until = filter.until {
            conditions.append("time < ?")
            values.append(.text(until.storeText))
        }
        if let userID = filter.userID {
            conditions.append("user_id = ?")
            values.append(.integer(userID))
        }
        if let email = filter.email {
            conditions.append("email_key = ?")
            values.append(.text(EmailAddress.key(email)))
        }
        if let action = filter.action {
            conditions.append("action = ?")
            values.append(.text(action))
        }
        if let run = filter.run {
            conditions.append("run = ?")
            values.append(.text(run))
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        // Newest first so LIMIT keeps the latest records; reversed below. A negative LIMIT means none.
        let sql = "SELECT seq, document FROM audit" + whereClause + " ORDER BY seq DESC LIMIT ?"
        values.append(.integer(filter.limit.map { Int64(max(0, $0)) } ?? -1))
        var records: [AuditRecord] = []
        try statement(sql).query(values) { row in
            records.append(try Self.decodeRecord(seq: row.int64(0), document: row.text(1) ?? ""))
        }
        return records.reversed()
    }

    /// The highest seq in the log, 0 when it is empty.
    public func lastAuditSeq() throws -> Int64 {
        try lastAuditLink().seq
    }

    /// Calls `body` with the seq and stored document of every record after `seq`, in order.
    func forEachAuditDocument(after seq: Int64, _ body: (Int64, String) throws -> Void) throws {
        try statement("SELECT seq, document FROM audit WHERE seq > ? ORDER BY seq").query([.integer(seq)]) { row in
            try body(row.int64(0), row.text(1) ?? "")
        }
    }

    static func decodeRecord(seq: Int64, document: String) throws -> AuditRecord {
        guard let json = try? JSONValue.parse(Data(document.utf8)), let record = AuditRecord(json: json) else {
            throw StoreError.corruptRow(
                table: "audit", key: "seq \(seq)", problem: "the document is not an audit record")
        }
        return record
    }

    // MARK: - Mirror

    /// Brings the audit mirror (if any) up to date with the database; returns and keeps in
    /// `mirrorWarning` why that failed. Safe to call at any time, such as at startup.
    @discardableResult
    public func updateAuditMirror() -> String? {
        guard let auditMirror else { return nil }
        do {
            try auditMirror.catchUp(with: self)
            mirrorWarning = nil
        } catch {
            mirrorWarning = "the audit mirror \(auditMirror.path) is behind the database: \(error)"
        }
        return mirrorWarning
    }
}

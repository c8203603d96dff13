import Foundation
import RosterCore
import RosterCrypto

extension DirectoryDatabase {
    /// Re-computes the audit chain from the stored documents and names the first record that does not hold.
    ///
    /// Detects an edited document (its hash no longer matches), an edited hash (the next record's
    /// `prev` no longer matches), a deleted record (a gap in `seq`, or a first record not linked to
    /// the genesis hash), deleted records at the end (SQLite remembers the highest seq ever
    /// written), and indexed columns that disagree with their document. Reads in pages, so the
    /// log never has to fit in memory.
    public func verifyAudit() throws -> AuditChain.Verdict {
        try verifyAudit(pageSize: 1000)
    }

    func verifyAudit(pageSize: Int) throws -> AuditChain.Verdict {
        var last: (seq: Int64, hash: String)?
        var count = 0
        while true {
            var rows: [StoredAuditRow] = []
            try statement(
                """
                SELECT seq, document, time, run, actor, action, user_id, email, prev, hash FROM audit
                WHERE seq > ? ORDER BY seq LIMIT ?
                """
            ).query([.integer(last?.seq ?? Int64.min), .integer(Int64(pageSize))]) { row in
                rows.append(StoredAuditRow(row))
            }
            guard !rows.isEmpty else { break }

            // Parse up to the first row with a problem of its own; the chain decides which comes first.
            var records: [AuditRecord] = []
            var rowProblem: (seq: Int64, reason: String)?
            for row in rows {
                guard let record = row.record else {
                    rowProblem = (row.seq, "the stored document is not an audit record")
                    break
                }
                records.append(record)
                if let mismatch = row.mismatch(with: record) {
                    rowProblem = (row.seq, mismatch)
                    break
                }
            }
            if case .broken(let seq, let reason) = Self.verifyChain(records, after: last),
                seq <= rowProblem?.seq ?? Int64.max
            {
                return .broken(seq: seq, reason: reason)
            }
            if let rowProblem { return .broken(seq: rowProblem.seq, reason: rowProblem.reason) }
            count += records.count
            last = records.last.map { ($0.seq, $0.hash) }
        }

        var highest: Int64 = 0
        try statement("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").query { highest = $0.int64(0) }
        let lastSeq = last?.seq ?? 0
        if highest > lastSeq {
            return .broken(
                seq: lastSeq + 1, reason: "records \(lastSeq + 1) to \(highest) are missing from the end of the log")
        }
        return .valid(count: count)
    }

    /// `AuditChain.verify` for one page of the log, continuing after the already verified `anchor`.
    ///
    /// `verify` always starts from the genesis hash. To continue a chain, the page is preceded by a
    /// stand-in for the anchor record: its `prev` is the genesis hash and the digest answers the
    /// anchor's real hash for the stand-in's bytes, so `verify` checks the page's first `prev` and
    /// `seq` against the anchor, and everything after it by the ordinary rules.
    private static func verifyChain(_ records: [AuditRecord], after anchor: (seq: Int64, hash: String)?)
        -> AuditChain.Verdict
    {
        guard let anchor else { return AuditChain.verify(records, digest: { SHA256.hex($0) }) }
        let standIn = AuditRecord(
            seq: anchor.seq, time: "", run: nil, actor: "", action: "", userID: nil, email: nil, changes: nil,
            reason: nil, prev: AuditRecord.genesisHash, hash: anchor.hash)
        let standInBytes = standIn.hashedBytes
        return AuditChain.verify([standIn] + records) { bytes in
            bytes == standInBytes ? anchor.hash : SHA256.hex(bytes)
        }
    }
}

/// One row of the audit table as stored: its indexed columns and its document.
private struct StoredAuditRow {
    var seq: Int64
    var record: AuditRecord?
    var time: String?
    var run: String?
    var actor: String?
    var action: String?
    var userID: Int64?
    var email: String?
    var prev: String?
    var hash: String?

    init(_ row: SQLiteStatement) {
        seq = row.int64(0)
        record = (try? JSONValue.parse(Data((row.text(1) ?? "").utf8))).flatMap(AuditRecord.init(json:))
        time = row.text(2)
        run = row.text(3)
        actor = row.text(4)
        action = row.text(5)
        userID = row.optionalInt64(6)
        email = row.text(7)
        prev = row.text(8)
        hash = row.text(9)
    }

    /// Which columns say something other than the document (filters and new links read the columns).
    func mismatch(with record: AuditRecord) -> String? {
        var columns: [String] = []
        if record.seq != seq { columns.append("seq") }
        if record.time != time { columns.append("time") }
        if record.run != run { columns.append("run") }
        if record.actor != actor { columns.append("actor") }
        if record.action != action { columns.append("action") }
        if record.userID != userID { columns.append("user_id") }
        if record.email != email { columns.append("email") }
        if record.prev != prev { columns.append("prev") }
        if record.hash != hash { columns.append("hash") }
        guard !columns.isEmpty else { return nil }
        return "the \(columns.joined(separator: ", ")) column\(columns.count == 1 ? "" : "s") "
            + "of the row differ\(columns.count == 1 ? "s" : "") from its document"
    }
}

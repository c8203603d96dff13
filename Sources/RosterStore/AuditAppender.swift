import Foundation
import RosterCore
import RosterCrypto

/// Chains audit records onto the log one at a time, inside the caller's transaction: a run that
/// changes 100,000 users writes each change's records right after its row instead of holding
/// every event and record of the run in memory at once. Rows go in several to a statement
/// (SQLite's cost per statement was half of a first sync's audit writing), so `finish` must run
/// before anything reads the log or the transaction commits.
struct AuditAppender {
    private var rows: BatchedInsert
    let runID: String?
    let time: String
    /// The last record appended (or already in the log).
    private(set) var link: AuditLink
    /// The records appended, when the caller wants them back (tests, CLI actions).
    private var records: [AuditRecord] = []
    private let keepsRecords: Bool
    private let hasher: SHA256Hasher

    init(database: DirectoryDatabase, runID: String?, now: Date, keepsRecords: Bool) throws {
        let (seq, hash) = try database.lastAuditLink()
        link = AuditLink(seq: seq, hash: hash)
        rows = BatchedInsert(
            database,
            "INSERT INTO audit (seq, time, run, actor, action, user_id, email, email_key, document, prev, hash)",
            columnCount: 11)
        self.runID = runID
        time = now.storeText
        self.keepsRecords = keepsRecords
        hasher = try SHA256Hasher()
    }

    /// - Parameter prewritten: the event's `changes` and `reason` as written ahead of it.
    mutating func append(_ event: AuditEvent, prewritten: PrewrittenJSON? = nil) throws {
        try append(
            PreparedAuditRecord(event, prewritten: prewritten, after: link, time: time, runID: runID, hasher: hasher))
    }

    mutating func append(_ events: [AuditEvent]) throws {
        for event in events { try append(event) }
    }

    /// Appends a record prepared ahead, which must be the next link of this log and run.
    mutating func append(_ prepared: PreparedAuditRecord) throws {
        let record = prepared.record
        guard record.seq == link.seq + 1, record.prev == link.hash, record.time == time, record.run == runID else {
            throw StoreError.invalidChange(
                "audit record \(record.seq) was prepared for another place in the log than after \(link.seq)")
        }
        try rows.addRow { row in
            row.integer(record.seq)
            row.text(time)
            row.text(runID)
            row.text(record.actor)
            row.text(record.action)
            row.integer(record.userID)
            row.text(record.email)
            row.text(prepared.emailKey)
            row.text(utf8: prepared.document)
            row.text(record.prev)
            row.text(record.hash)
        }
        link = prepared.link
        if keepsRecords { records.append(try prepared.fullRecord()) }
    }

    /// Writes the records still buffered; returns those appended when the caller keeps them.
    mutating func finish() throws -> [AuditRecord] {
        try rows.flush()
        return records
    }
}

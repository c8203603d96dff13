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
    private let runID: String?
    private let time: String
    private var seq: Int64
    private var prev: String
    /// The records appended, when the caller wants them back (tests, CLI actions).
    private var records: [AuditRecord] = []
    private let keepsRecords: Bool
    private let hasher: SHA256Hasher

    init(database: DirectoryDatabase, runID: String?, now: Date, keepsRecords: Bool) throws {
        (seq, prev) = try database.lastAuditLink()
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
        seq += 1
        var record = AuditRecord(
            seq: seq, time: time, run: runID, actor: event.actor, action: event.action, userID: event.userID,
            email: event.email, changes: event.changes, reason: event.reason, prev: prev, hash: "")
        // Serialised once: the document (and the mirror line) is the hashed bytes plus the hash.
        let (hashed, hashOffset) = record.canonicalForm(prewritten: prewritten)
        record.hash = hasher.hex(hashed)
        let document = record.document(hashed: hashed, hashOffset: hashOffset)
        try rows.add([
            .integer(seq), .text(time), .optional(runID), .text(record.actor), .text(record.action),
            .optional(record.userID), .optional(record.email), .optional(record.email.map(EmailAddress.key)),
            .text(String(decoding: document, as: UTF8.self)), .text(prev), .text(record.hash),
        ])
        prev = record.hash
        if keepsRecords {
            // An event written ahead may not hold the values: the record as stored does.
            let stored = String(decoding: document, as: UTF8.self)
            records.append(prewritten == nil ? record : try DirectoryDatabase.decodeRecord(seq: seq, document: stored))
        }
    }

    mutating func append(_ events: [AuditEvent]) throws {
        for event in events { try append(event) }
    }

    /// Writes the records still buffered; returns those appended when the caller keeps them.
    mutating func finish() throws -> [AuditRecord] {
        try rows.flush()
        return records
    }
}

import Foundation
import RosterCore
import RosterCrypto

/// Where the next audit record goes: the sequence number and hash of the last one.
struct AuditLink: Sendable, Equatable {
    var seq: Int64
    var hash: String
}

/// An audit record hashed and serialised for its row, before the row is written: a first sync's
/// are prepared on another thread (`AuditEventPrefetch`), so the writer only inserts them.
struct PreparedAuditRecord: Sendable {
    let record: AuditRecord
    /// The stored document: the canonical JSON of the record, hash included, as the UTF-8 bytes
    /// the writer made (and the row stores): a `String` of it would check every byte again.
    let document: [UInt8]
    /// Whether `record` holds its `changes` and `reason` values (a record prepared from an
    /// event written ahead may have only their bytes, which `document` holds).
    let holdsValues: Bool
    /// `EmailAddress.key` of the record's email: the row's `email_key`.
    let emailKey: String?

    /// The record `event` makes after `link`, stamped `time` in run `runID`.
    init(
        _ event: AuditEvent, prewritten: PrewrittenJSON?, after link: AuditLink, time: String, runID: String?,
        hasher: SHA256Hasher
    ) {
        var record = AuditRecord(
            seq: link.seq + 1, time: time, run: runID, actor: event.actor, action: event.action,
            userID: event.userID, email: event.email, changes: event.changes, reason: event.reason, prev: link.hash,
            hash: "")
        // Serialised once: the document (and the mirror line) is the hashed bytes plus the hash.
        let (hashed, hashOffset) = record.canonicalForm(prewritten: prewritten)
        record.hash = hasher.hex(hashed)
        self.record = record
        document = record.document(hashed: hashed, hashOffset: hashOffset)
        emailKey = event.email.map(EmailAddress.key)
        holdsValues =
            (prewritten?.changes == nil || event.changes != nil) && (prewritten?.reason == nil || event.reason != nil)
    }

    /// The link this record makes for the next.
    var link: AuditLink { AuditLink(seq: record.seq, hash: record.hash) }

    /// The record with its values, read back from the document when it was prepared without them.
    func fullRecord() throws -> AuditRecord {
        holdsValues
            ? record
            : try DirectoryDatabase.decodeRecord(seq: record.seq, document: String(decoding: document, as: UTF8.self))
    }
}

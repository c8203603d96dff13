import Foundation

/// A change to be written to the audit log; the store gives it its `seq`, time, run and hashes.
public struct AuditEvent: Sendable, Hashable {
    public var action: String
    /// `sync` or `cli:<unix user>`.
    public var actor: String
    /// The user concerned; `userID` 0 means "the user created by the change this event belongs to".
    public var userID: Int64?
    public var email: String?
    public var changes: JSONValue?
    public var reason: JSONValue?

    public init(
        action: String, actor: String, userID: Int64? = nil, email: String? = nil, changes: JSONValue? = nil,
        reason: JSONValue? = nil
    ) {
        self.action = action
        self.actor = actor
        self.userID = userID
        self.email = email
        self.changes = changes
        self.reason = reason
    }
}

/// One stored audit record, exactly as hashed and mirrored (SPEC §6).
public struct AuditRecord: Sendable, Hashable {
    public var seq: Int64
    /// RFC 3339 UTC with milliseconds.
    public var time: String
    public var run: String?
    public var actor: String
    public var action: String
    public var userID: Int64?
    public var email: String?
    public var changes: JSONValue?
    public var reason: JSONValue?
    public var prev: String
    public var hash: String

    public init(
        seq: Int64, time: String, run: String?, actor: String, action: String, userID: Int64?, email: String?,
        changes: JSONValue?, reason: JSONValue?, prev: String, hash: String
    ) {
        self.seq = seq
        self.time = time
        self.run = run
        self.actor = actor
        self.action = action
        self.userID = userID
        self.email = email
        self.changes = changes
        self.reason = reason
        self.prev = prev
        self.hash = hash
    }

    /// The hash of the first record's predecessor.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The record as JSON, without `hash` when `includingHash` is false (the hashed form).
    public func json(includingHash: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "seq": .int(seq), "time": .string(time), "run": .optional(run), "actor": .string(actor),
            "action": .string(action), "prev": .string(prev),
        ]
        if userID != nil || email != nil {
            var user: [String: JSONValue] = [:]
            user["id"] = userID.map { .string(String($0)) } ?? .null
            user["email"] = .optional(email)
            object["user"] = .object(user)
        }
        if let changes { object["changes"] = changes }
        if let reason { object["reason"] = reason }
        if includingHash { object["hash"] = .string(hash) }
        return .object(object)
    }

    /// The bytes whose SHA-256 is `hash`: canonical JSON of every field but `hash`.
    public var hashedBytes: Data { Data(canonicalForm().hashed) }

    /// Rebuilds a record from its JSON form (a mirror line or the stored document).
    public init?(json: JSONValue) {
        guard case .object(let object) = json,
            case .int(let seq)? = object["seq"],
            let time = object["time"]?.stringValue,
            let actor = object["actor"]?.stringValue,
            let action = object["action"]?.stringValue,
            let prev = object["prev"]?.stringValue
        else { return nil }
        self.seq = seq
        self.time = time
        self.run = object["run"]?.stringValue
        self.actor = actor
        self.action = action
        self.userID = object["user"]?["id"]?.stringValue.flatMap { Int64($0) }
        self.email = object["user"]?["email"]?.stringValue
        self.changes = object["changes"]
        self.reason = object["reason"]
        self.prev = prev
        self.hash = object["hash"]?.stringValue ?? ""
    }
}

/// Checks a chain of records: each `prev` is the previous `hash`, each `hash` the digest of its bytes.
public enum AuditChain {
    public enum Verdict: Sendable, Equatable {
        case valid(count: Int)
        /// The first record that does not hold, and why.
        case broken(seq: Int64, reason: String)
    }

    public static func verify(_ records: [AuditRecord], digest: (Data) -> String) -> Verdict {
        var expectedPrev = AuditRecord.genesisHash
        var expectedSeq: Int64? = nil
        for record in records {
            if let expectedSeq, record.seq != expectedSeq {
                return .broken(seq: record.seq, reason: "sequence jumps from \(expectedSeq - 1) to \(record.seq)")
            }
            if record.prev != expectedPrev {
                return .broken(seq: record.seq, reason: "prev does not match the hash of the record before it")
            }
            if digest(record.hashedBytes) != record.hash {
                return .broken(seq: record.seq, reason: "hash does not match the record's contents")
            }
            expectedPrev = record.hash
            expectedSeq = record.seq + 1
        }
        return .valid(count: records.count)
    }
}

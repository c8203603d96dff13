/// The canonical JSON of an event's `changes` and `reason`, most of its record's bytes, written
/// on the thread that builds the events rather than where the record is chained.
public struct PrewrittenJSON: Sendable {
    public let changes: [UInt8]?
    public let reason: [UInt8]?

    /// Parts written without building their values (`AuditEventBuilder.writtenEvents`).
    init(changes: [UInt8]?, reason: [UInt8]?) {
        self.changes = changes
        self.reason = reason
    }

    /// Nil when a value has no JSON form: the record is then written from its values.
    public init?(_ event: AuditEvent) {
        func written(_ value: JSONValue?) -> [UInt8]?? {
            guard let value else { return .some(nil) }
            var writer = CanonicalJSONWriter()
            writer.write(value)
            return writer.failed ? nil : .some(writer.bytes)
        }
        guard let changes = written(event.changes), let reason = written(event.reason) else { return nil }
        self.changes = changes
        self.reason = reason
    }
}

extension AuditRecord {
    /// The record's hashed bytes (canonical JSON of every field but `hash`), and the offset in
    /// them where `"hash":"…",` goes to make the stored document; nil when the record holds a
    /// value without a JSON form and the document must be written from `json()`.
    ///
    /// The same bytes as `json(includingHash: false).canonicalBytes`, written field by field in
    /// sorted key order without building a dictionary: each record is written once per change.
    ///
    /// - Parameter prewritten: `changes` and `reason` as written ahead from this record's event;
    ///   a part written ahead is used even when the record does not hold its value.
    public func canonicalForm(prewritten: PrewrittenJSON? = nil) -> (hashed: [UInt8], hashOffset: Int?) {
        var writer = CanonicalJSONWriter(
            capacity: 256 + (prewritten?.changes?.count ?? 0) + (prewritten?.reason?.count ?? 0))
        // Keys in code point order: action, actor, changes, hash, prev, reason, run, seq, time, user.
        writer.appendRaw("{\"action\":")
        writer.write(action)
        writer.appendRaw(",\"actor\":")
        writer.write(actor)
        if let bytes = prewritten?.changes {
            writer.appendRaw(",\"changes\":")
            writer.appendBytes(bytes[...])
        } else if let changes {
            writer.appendRaw(",\"changes\":")
            writer.write(changes)
        }
        writer.appendRaw(",")
        let hashOffset = writer.bytes.count
        writer.appendRaw("\"prev\":")
        writer.write(prev)
        if let bytes = prewritten?.reason {
            writer.appendRaw(",\"reason\":")
            writer.appendBytes(bytes[...])
        } else if let reason {
            writer.appendRaw(",\"reason\":")
            writer.write(reason)
        }
        writer.appendRaw(",\"run\":")
        if let run { writer.write(run) } else { writer.appendRaw("null") }
        writer.appendRaw(",\"seq\":")
        writer.write(.int(seq))
        writer.appendRaw(",\"time\":")
        writer.write(time)
        if userID != nil || email != nil {
            writer.appendRaw(",\"user\":{\"email\":")
            if let email { writer.write(email) } else { writer.appendRaw("null") }
            writer.appendRaw(",\"id\":")
            if let userID { writer.write(String(userID)) } else { writer.appendRaw("null") }
            writer.appendRaw("}")
        }
        writer.appendRaw("}")
        // A non-finite double has no JSON form: the whole value was written as `null` before.
        guard !writer.failed else { return (Array("null".utf8), nil) }
        return (writer.bytes, hashOffset)
    }

    /// The stored document and mirror line: the hashed bytes with `"hash":"<hash>",` inserted
    /// where `canonicalForm()` said, so the record is serialised once for both.
    public func document(hashed: [UInt8], hashOffset: Int?) -> [UInt8] {
        guard let hashOffset else { return json().canonicalBytes }
        var writer = CanonicalJSONWriter(capacity: hashed.count + hash.utf8.count + 10)
        writer.appendBytes(hashed[..<hashOffset])
        writer.appendRaw("\"hash\":")
        writer.write(hash)
        writer.appendRaw(",")
        writer.appendBytes(hashed[hashOffset...])
        return writer.bytes
    }
}

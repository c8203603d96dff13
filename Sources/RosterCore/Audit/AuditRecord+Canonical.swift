extension AuditRecord {
    /// The record's hashed bytes (canonical JSON of every field but `hash`), and the offset in
    /// them where `"hash":"…",` goes to make the stored document; nil when the record holds a
    /// value without a JSON form and the document must be written from `json()`.
    ///
    /// The same bytes as `json(includingHash: false).canonicalBytes`, written field by field in
    /// sorted key order without building a dictionary: each record is written once per change.
    public func canonicalForm() -> (hashed: [UInt8], hashOffset: Int?) {
        var writer = CanonicalJSONWriter()
        // Keys in code point order: action, actor, changes, hash, prev, reason, run, seq, time, user.
        writer.appendRaw("{\"action\":")
        writer.write(action)
        writer.appendRaw(",\"actor\":")
        writer.write(actor)
        if let changes {
            writer.appendRaw(",\"changes\":")
            writer.write(changes)
        }
        writer.appendRaw(",")
        let hashOffset = writer.bytes.count
        writer.appendRaw("\"prev\":")
        writer.write(prev)
        if let reason {
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

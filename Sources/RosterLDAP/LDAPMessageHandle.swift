import CLDAP

/// One message a server sent (a search entry, a search reference or a result): the only owner
/// of its `LDAPMessage *`, which it frees with `ldap_msgfree`.
///
/// Searches take responses one at a time (`LDAP_MSG_ONE`), so a handle holds one message, and
/// each is freed as soon as its entry has been copied into Swift values.
final class LDAPMessageHandle {
    private let message: OpaquePointer

    init(_ message: OpaquePointer) {
        self.message = message
    }

    deinit {
        ldap_msgfree(message)
    }

    enum Kind: Equatable {
        case entry
        case reference
        case result
        /// Anything a search does not expect (an intermediate or extended response).
        case other(Int32)

        /// An intermediate response (RFC 4511 §4.13), which only a content synchronisation search
        /// expects. Not a case of its own, so that the switches of other searches stay exhaustive
        /// and keep refusing it as `.other`; `case .intermediate:` must come before `.other`.
        static let intermediate = Kind.other(ROSTER_LDAP_RES_INTERMEDIATE)
    }

    var kind: Kind {
        switch ldap_msgtype(message) {
        case ROSTER_LDAP_RES_SEARCH_ENTRY: return .entry
        case ROSTER_LDAP_RES_SEARCH_REFERENCE: return .reference
        case ROSTER_LDAP_RES_SEARCH_RESULT: return .result
        case let type: return .other(type)
        }
    }

    // MARK: - Entries

    /// The entry's DN and every attribute value, copied as bytes (binary-safe).
    ///
    /// Reads the BER with `ldap_get_dn_ber` / `ldap_get_attribute_ber`, which report a decoding
    /// error as a result code: the older iteration (`ldap_first_attribute`) ends the same way at
    /// the last attribute and at a damaged one, which could silently drop a member list.
    func entry(on connection: LDAPConnection) throws(LDAPError) -> DirectoryEntry {
        let ld = connection.handle
        var ber: OpaquePointer?
        defer { if let ber { ber_free(ber, 0) } }
        var dnValue = berval()
        let dnCode = ldap_get_dn_ber(ld, message, &ber, &dnValue)
        guard dnCode == LDAP_SUCCESS, let ber else {
            throw connection.failure(dnCode == LDAP_SUCCESS ? LDAP_DECODING_ERROR : dnCode, "decode an entry's DN")
        }
        var entry = DirectoryEntry(dn: String(decoding: Self.buffer(dnValue), as: UTF8.self))
        entry.reserveCapacity(8)
        while true {
            var name = berval()
            var values: UnsafeMutablePointer<berval>?
            let code = ldap_get_attribute_ber(ld, message, ber, &name, &values)
            // The values array points into `ber`; only the array itself is allocated.
            defer { if let values { ber_memfree(values) } }
            guard code == LDAP_SUCCESS else {
                throw connection.failure(code, "decode entry \"\(entry.dn)\"")
            }
            guard name.bv_val != nil else { break }
            var copied: [[UInt8]] = []
            if let values {
                // Counted first: a group's member list would otherwise grow by doubling.
                var count = 0
                while values[count].bv_val != nil { count += 1 }
                copied.reserveCapacity(count)
                for index in 0..<count { copied.append(Self.bytes(values[index])) }
            }
            entry.add(key: DirectoryEntry.key(bytes: Self.buffer(name)), values: copied)
        }
        return entry
    }

    /// The controls attached to a search entry (the sync state control of RFC 4533); nil when it
    /// has none. Read them before `entry(on:)`: once `ldap_get_attribute_ber` has walked the
    /// attributes, libldap 2.5 finds no controls on the message any more.
    func entryControls(on connection: LDAPConnection) throws(LDAPError) -> LDAPResponseControls? {
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let code = ldap_get_entry_controls(connection.handle, message, &controls)
        let owned = controls.map(LDAPResponseControls.init)
        guard code == LDAP_SUCCESS else { throw connection.failure(code, "decode an entry's controls") }
        return owned
    }

    // MARK: - Intermediate responses

    /// An intermediate response (RFC 4511 §4.13): its name and value, copied.
    struct Intermediate {
        var oid: String?
        var value: [UInt8]?
    }

    func intermediate(on connection: LDAPConnection) throws(LDAPError) -> Intermediate {
        var oid: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<berval>?
        let code = ldap_parse_intermediate(connection.handle, message, &oid, &value, nil, 0)
        defer {
            if let oid { ldap_memfree(oid) }
            if let value { ber_bvfree(value) }
        }
        guard code == LDAP_SUCCESS else { throw connection.failure(code, "decode an intermediate response") }
        return Intermediate(oid: oid.map { String(cString: $0) }, value: value.map { Self.bytes($0.pointee) })
    }

    // MARK: - References and results

    /// The URLs of a search reference (a continuation to another server).
    func referenceURLs(on connection: LDAPConnection) throws(LDAPError) -> [String] {
        var urls: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let code = ldap_parse_reference(connection.handle, message, &urls, nil, 0)
        defer { if let urls { ldap_memvfree(UnsafeMutablePointer(OpaquePointer(urls))) } }
        guard code == LDAP_SUCCESS else { throw connection.failure(code, "decode a search reference") }
        return Self.strings(urls)
    }

    /// The outcome of an operation: the server's result code, its text, referrals and controls.
    func result(on connection: LDAPConnection) throws(LDAPError) -> LDAPOperationResult {
        var resultCode: Int32 = LDAP_SUCCESS
        var matched: UnsafeMutablePointer<CChar>?
        var text: UnsafeMutablePointer<CChar>?
        var referrals: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let code = ldap_parse_result(
            connection.handle, message, &resultCode, &matched, &text, &referrals, &controls, 0)
        // Owned from here on, also when parsing failed half-way.
        let responseControls = controls.map(LDAPResponseControls.init)
        defer {
            if let matched { ldap_memfree(matched) }
            if let text { ldap_memfree(text) }
            if let referrals { ldap_memvfree(UnsafeMutablePointer(OpaquePointer(referrals))) }
        }
        guard code == LDAP_SUCCESS else { throw connection.failure(code, "decode a search result") }
        return LDAPOperationResult(
            code: resultCode, diagnostic: text.map { String(cString: $0) },
            matchedDN: matched.map { String(cString: $0) }, referrals: Self.strings(referrals),
            controls: responseControls)
    }

    // MARK: - Helpers

    private static func bytes(_ value: berval) -> [UInt8] {
        Array(buffer(value))
    }

    /// The bytes of a value where libldap keeps them: valid only while the message lives.
    private static func buffer(_ value: berval) -> UnsafeRawBufferPointer {
        guard let start = value.bv_val, value.bv_len > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: Int(value.bv_len))
    }

    private static func strings(_ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
        guard let list else { return [] }
        var result: [String] = []
        var index = 0
        while let item = list[index] {
            result.append(String(cString: item))
            index += 1
        }
        return result
    }
}

@available(*, unavailable)
extension LDAPMessageHandle: Sendable {}

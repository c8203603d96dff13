import CLDAP

/// The Sync Info Message, an intermediate response of a content synchronisation search
/// (RFC 4533 §2.5).
enum SyncInfoMessage {
    case newCookie([UInt8])
    /// The end of a delete phase (in refreshOnly mode slapd ends it with the sync done control).
    case refreshDelete(cookie: [UInt8]?, refreshDone: Bool)
    /// The end of a present phase; with `refreshDone` false a delete phase follows.
    case refreshPresent(cookie: [UInt8]?, refreshDone: Bool)
    /// Many entryUUIDs at once: deleted ones when `refreshDeletes`, else present ones.
    case syncIdSet(cookie: [UInt8]?, refreshDeletes: Bool, uuids: [String])

    /// The message's OID (the `responseName`).
    static let oid = String(cString: ROSTER_LDAP_SYNC_INFO)

    /// Decodes the `syncInfoValue` CHOICE.
    init(value: [UInt8]) throws(BERDecodingError) {
        let what = "the sync info message"
        let reader = try BERReader(value, what: what)
        switch reader.peekTag() {
        case ROSTER_LDAP_TAG_SYNC_NEW_COOKIE:
            self = .newCookie(try reader.octetString(ROSTER_LDAP_TAG_SYNC_NEW_COOKIE))
        case ROSTER_LDAP_TAG_SYNC_REFRESH_DELETE:
            try reader.enter(ROSTER_LDAP_TAG_SYNC_REFRESH_DELETE)
            let cookie = try reader.optionalOctetString()
            self = .refreshDelete(cookie: cookie, refreshDone: try reader.optionalBoolean(default: true))
        case ROSTER_LDAP_TAG_SYNC_REFRESH_PRESENT:
            try reader.enter(ROSTER_LDAP_TAG_SYNC_REFRESH_PRESENT)
            let cookie = try reader.optionalOctetString()
            self = .refreshPresent(cookie: cookie, refreshDone: try reader.optionalBoolean(default: true))
        case ROSTER_LDAP_TAG_SYNC_ID_SET:
            try reader.enter(ROSTER_LDAP_TAG_SYNC_ID_SET)
            let cookie = try reader.optionalOctetString()
            let refreshDeletes = try reader.optionalBoolean(default: false)
            var uuids: [String] = []
            for bytes in try reader.setOfOctetStrings() { uuids.append(try SyncUUID.decode(bytes, in: what)) }
            self = .syncIdSet(cookie: cookie, refreshDeletes: refreshDeletes, uuids: uuids)
        case let tag:
            throw BERDecodingError(
                description: "\(what): unknown choice \(tag.map { "0x" + String($0, radix: 16) } ?? "(none)")")
        }
    }

    /// The cookie the message carries, if any.
    var cookie: [UInt8]? {
        switch self {
        case .newCookie(let cookie): return cookie
        case .refreshDelete(let cookie, _), .refreshPresent(let cookie, _), .syncIdSet(let cookie, _, _): return cookie
        }
    }
}

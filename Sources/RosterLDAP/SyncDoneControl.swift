import CLDAP

/// The Sync Done Control on the result of a refreshOnly search (RFC 4533 §2.4).
struct SyncDoneControl {
    /// The cookie to send next time; slapd leaves it out when nothing changed since the one sent.
    var cookie: [UInt8]?
    /// True: the refresh was a delete phase (what is not reported is unchanged); false: a present
    /// phase (what was neither reported present nor changed is gone).
    var refreshDeletes: Bool

    /// Decodes `syncDoneValue ::= SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }`.
    init(value: [UInt8]) throws(BERDecodingError) {
        let reader = try BERReader(value, what: "the sync done control")
        try reader.enter(ROSTER_LBER_SEQUENCE)
        cookie = try reader.optionalOctetString()
        refreshDeletes = try reader.optionalBoolean(default: false)
    }
}

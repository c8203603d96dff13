import CLDAP

/// The Sync State Control a server attaches to each entry of a content synchronisation search
/// (RFC 4533 §2.2): what happened to the entry, its entryUUID, and perhaps a cookie.
struct SyncStateControl {
    enum State: Int {
        /// Unchanged since the cookie and still in scope (the present phase); sent without attributes.
        case present = 0
        case add = 1
        case modify = 2
        case delete = 3
    }

    var state: State
    /// The entryUUID in its text form.
    var entryUUID: String
    var cookie: [UInt8]?

    /// Decodes `syncStateValue ::= SEQUENCE { state ENUMERATED, entryUUID syncUUID, cookie syncCookie OPTIONAL }`.
    init(value: [UInt8]) throws(BERDecodingError) {
        let what = "the sync state control"
        let reader = try BERReader(value, what: what)
        try reader.enter(ROSTER_LBER_SEQUENCE)
        let number = try reader.enumerated()
        guard let state = State(rawValue: number) else {
            throw BERDecodingError(description: "\(what): unknown state \(number)")
        }
        self.state = state
        entryUUID = try SyncUUID.decode(try reader.octetString(), in: what)
        cookie = try reader.optionalOctetString()
    }
}

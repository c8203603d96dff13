/// What one refreshOnly content synchronisation search (RFC 4533) reported since a cookie: raw
/// entries and entryUUIDs, for the caller to apply to what it read before.
struct ContentSyncResult {
    /// Added or modified entries (a rename is a modify: same entryUUID, new DN), whole, as sent;
    /// each has its `entryuuid` attribute.
    var changed: [DirectoryEntry] = []
    /// The entryUUIDs the server said are gone: deleted, or no longer matching the search. May
    /// name entries the caller never held (slapd's session log names every logged change outside
    /// the search): those are ignored. Never one of `changed`.
    var deleted: Set<String> = []
    /// Set when the server ran a present phase: the entryUUIDs of the unchanged entries still in
    /// scope. Every entry the caller holds that is neither here nor in `changed` is gone too.
    /// Nil after a delete phase alone, where whatever is not reported is unchanged.
    var present: Set<String>?
    /// The cookie to send next time; nil when the server gave none (slapd gives none when nothing
    /// changed), and then the one sent stays current.
    var cookie: [UInt8]?
}

enum ContentSyncOutcome {
    case changes(ContentSyncResult)
    /// The server cannot bring the cookie's state up to date (e-syncRefreshRequired, or a cookie it
    /// refused): only a full read is complete. The server's words.
    case refreshRequired(String)
}

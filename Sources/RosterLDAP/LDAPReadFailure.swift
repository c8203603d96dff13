/// Why a read of an LDAP source is not known to be complete: one sentence naming the server, the
/// search and the server's own words. Becomes the snapshot's `problem`, so the source freezes.
struct LDAPReadFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// A libldap error on `url`, prefixed with the URL unless the operation already names it.
    init(_ error: LDAPError, url: String) {
        let text = error.description
        description = text.hasPrefix(url) ? text : "\(url): \(text)"
    }
}

extension LDAPReadFailure {
    /// Why a referral (`what`: "a referral") or a search reference ends a read: entries behind it
    /// live on a server nobody configured, so the read cannot be proven complete.
    static func notFollowed(_ what: String, to urls: [String]) -> String {
        "the server sent \(what) to \(urls.joined(separator: " ")), which Roster does not follow; search the"
            + " server that holds the entries"
    }
}

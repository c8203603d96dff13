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

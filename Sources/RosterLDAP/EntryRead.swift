/// One entry read by its DN (a base-scope search): the rootDSE, a DC's settings object, the
/// next window of a ranged attribute.
enum EntryRead {
    /// The entry at `dn` with `attributes`, or nil when the search returned none; any doubt
    /// throws as for every search.
    static func entry(
        _ dn: String, attributes: [String], on connection: LDAPConnection, timeout: Duration,
        purpose: String? = nil
    ) throws(LDAPReadFailure) -> DirectoryEntry? {
        let request = LDAPSearchRequest(
            purpose: purpose ?? (dn.isEmpty ? "rootDSE read" : "read of \"\(dn)\""), base: dn,
            filter: "(objectClass=*)", attributes: attributes, pageSize: 0, timeout: timeout, scope: .base)
        var found: DirectoryEntry?
        _ = try PagedSearch(connection: connection, request: request).run { entry in
            if found == nil { found = entry }
        }
        return found
    }
}

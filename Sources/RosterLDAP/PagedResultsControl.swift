import CLDAP

extension RequestControl {
    /// The paged-results control (RFC 2696) for one page: `size` entries after `cookie` (empty
    /// for the first page). Critical: a server that cannot page must refuse the search rather
    /// than answer it unpaged, up to its size limit.
    static func pagedResults(size: Int32, cookie: PageCookie, on connection: LDAPConnection) throws(LDAPError)
        -> RequestControl
    {
        try RequestControl("paged-results", on: connection) { created in
            ldap_create_page_control(connection.handle, size, cookie.value, 1, &created)
        }
    }
}

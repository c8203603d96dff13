import CLDAP

/// The paged-results request control (RFC 2696) for one page: the only owner of the
/// `LDAPControl *` that `ldap_create_page_control` allocates, which it frees with
/// `ldap_control_free`.
final class PagedResultsControl {
    let control: UnsafeMutablePointer<LDAPControl>

    /// Asks for `size` entries after `cookie` (empty for the first page). The control is critical:
    /// a server that cannot page must refuse the search rather than answer it unpaged, up to its
    /// size limit.
    init(size: Int32, cookie: PageCookie, on connection: LDAPConnection) throws(LDAPError) {
        var created: UnsafeMutablePointer<LDAPControl>?
        let code = ldap_create_page_control(connection.handle, size, cookie.value, 1, &created)
        guard code == LDAP_SUCCESS, let created else {
            if let created { ldap_control_free(created) }
            throw connection.failure(code == LDAP_SUCCESS ? LDAP_NO_MEMORY : code, "create the paged-results control")
        }
        control = created
    }

    deinit {
        ldap_control_free(control)
    }
}

@available(*, unavailable)
extension PagedResultsControl: Sendable {}

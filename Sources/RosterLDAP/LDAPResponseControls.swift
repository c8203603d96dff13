import CLDAP

/// The controls a server attached to a result: the only owner of the `LDAPControl **` array from
/// `ldap_parse_result`, which it frees with `ldap_controls_free`.
final class LDAPResponseControls {
    private let controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>

    init(_ controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>) {
        self.controls = controls
    }

    deinit {
        ldap_controls_free(controls)
    }

    /// The control `oid`, borrowed: valid while `self` lives.
    func find(_ oid: UnsafePointer<CChar>) -> UnsafeMutablePointer<LDAPControl>? {
        ldap_control_find(oid, controls, nil)
    }

    /// A copy of the value of the control `oid` (empty when it has none); nil when there is no such
    /// control.
    func value(of oid: UnsafePointer<CChar>) -> [UInt8]? {
        guard let control = ldap_control_find(oid, controls, nil) else { return nil }
        let value = control.pointee.ldctl_value
        guard let start = value.bv_val, value.bv_len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: Int(value.bv_len)))
    }

    /// The paged-results response control's cookie (RFC 2696 §3): empty on the last page; nil
    /// when the server sent no such control.
    func pagedResultsCookie(on connection: LDAPConnection) throws(LDAPError) -> PageCookie? {
        guard let control = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nil) else { return nil }
        let cookie = PageCookie()
        var estimate: ber_int_t = 0
        let code = ldap_parse_pageresponse_control(connection.handle, control, &estimate, cookie.value)
        guard code == LDAP_SUCCESS else {
            throw connection.failure(code, "decode the paged-results control")
        }
        return cookie
    }
}

@available(*, unavailable)
extension LDAPResponseControls: Sendable {}

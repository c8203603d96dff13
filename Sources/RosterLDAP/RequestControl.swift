import CLDAP

/// A control sent with a request (paged results, domain scope, DirSync, content sync): the only
/// owner of the `LDAPControl *` libldap allocates for it, which it frees with
/// `ldap_control_free`. The factories of each control are in the file named after it.
final class RequestControl {
    let control: UnsafeMutablePointer<LDAPControl>

    /// Runs `create` (a libldap call that allocates the control) and takes what it made;
    /// `what` names the control in the error.
    init(
        _ what: String, on connection: LDAPConnection,
        create: (inout UnsafeMutablePointer<LDAPControl>?) -> Int32
    ) throws(LDAPError) {
        var created: UnsafeMutablePointer<LDAPControl>?
        let code = create(&created)
        guard code == LDAP_SUCCESS, let created else {
            if let created { ldap_control_free(created) }
            throw connection.failure(code == LDAP_SUCCESS ? LDAP_NO_MEMORY : code, "create the \(what) control")
        }
        control = created
    }

    deinit {
        ldap_control_free(control)
    }
}

@available(*, unavailable)
extension RequestControl: Sendable {}

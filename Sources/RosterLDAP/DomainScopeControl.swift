import CLDAP

/// Active Directory's LDAP_SERVER_DOMAIN_SCOPE control (1.2.840.113556.1.4.1339): the search
/// stays in the domain the DC holds and the server sends no continuation references to the
/// forest's other partitions (`CN=Configuration`, DNS zones, child domains). Without it a search
/// from the domain root always ends in references, which Roster must otherwise take as "not
/// everything was returned". The only owner of its `LDAPControl *`, freed with
/// `ldap_control_free`.
final class DomainScopeControl {
    static let oid = "1.2.840.113556.1.4.1339"

    let control: UnsafeMutablePointer<LDAPControl>

    init(on connection: LDAPConnection) throws(LDAPError) {
        var created: UnsafeMutablePointer<LDAPControl>?
        // Not critical: a server that does not know it has no other partitions to refer to.
        let code = ldap_control_create(Self.oid, 0, nil, 1, &created)
        guard code == LDAP_SUCCESS, let created else {
            throw connection.failure(code == LDAP_SUCCESS ? LDAP_NO_MEMORY : code, "create the domain scope control")
        }
        control = created
    }

    deinit {
        ldap_control_free(control)
    }
}

@available(*, unavailable)
extension DomainScopeControl: Sendable {}

import CLDAP

extension RequestControl {
    static let domainScopeOID = "1.2.840.113556.1.4.1339"

    /// Active Directory's LDAP_SERVER_DOMAIN_SCOPE control: the search stays in the domain the DC
    /// holds and the server sends no continuation references to the forest's other partitions
    /// (`CN=Configuration`, DNS zones, child domains). Without it a search from the domain root
    /// always ends in references, which Roster must otherwise take as "not everything was
    /// returned". Not critical: a server that does not know it has no other partitions to refer to.
    static func domainScope(on connection: LDAPConnection) throws(LDAPError) -> RequestControl {
        try RequestControl("domain scope", on: connection) { created in
            ldap_control_create(domainScopeOID, 0, nil, 1, &created)
        }
    }
}

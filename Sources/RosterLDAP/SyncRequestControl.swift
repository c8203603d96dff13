import CLDAP

extension RequestControl {
    /// The Sync Request Control (RFC 4533 §2.2) in refreshOnly mode: the changes since `cookie`
    /// (everything when nil). Critical: a server without content synchronisation must refuse the
    /// search, not answer it as a plain one, whose result would look like an incremental one that
    /// saw no deletions.
    static func syncRequest(cookie: [UInt8]?, on connection: LDAPConnection) throws(LDAPError) -> RequestControl {
        // syncRequestValue ::= SEQUENCE { mode ENUMERATED, cookie syncCookie OPTIONAL,
        // reloadHint BOOLEAN DEFAULT FALSE }; DER leaves the default reloadHint out.
        guard let ber = ber_alloc_t(LBER_USE_DER) else {
            throw connection.failure(LDAP_NO_MEMORY, "create the sync request control")
        }
        defer { ber_free(ber, 1) }
        var encoded =
            ber_start_seq(ber, ROSTER_LBER_SEQUENCE) != -1
            && ber_put_enum(ber, ber_int_t(LDAP_SYNC_REFRESH_ONLY), ROSTER_LBER_ENUMERATED) != -1
        if encoded, let cookie, !cookie.isEmpty {
            encoded = cookie.withUnsafeBytes { bytes in
                ber_put_ostring(
                    ber, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), ber_len_t(bytes.count),
                    ROSTER_LBER_OCTETSTRING) != -1
            }
        }
        var value = berval()
        // The value points into `ber`; ldap_control_create copies it (dupval 1).
        encoded = encoded && ber_put_seq(ber) != -1 && ber_flatten2(ber, &value, 0) == 0
        guard encoded else { throw connection.failure(LDAP_ENCODING_ERROR, "encode the sync request control") }
        return try RequestControl("sync request", on: connection) { created in
            ldap_control_create(ROSTER_LDAP_CONTROL_SYNC, 1, &value, 1, &created)
        }
    }
}

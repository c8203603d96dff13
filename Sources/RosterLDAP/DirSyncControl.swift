import CLDAP

/// Active Directory's DirSync request control (1.2.840.113556.1.4.841) for one round: the only
/// owner of the `LDAPControl *` that `ldap_create_dirsync_control` allocates (critical), which it
/// frees with `ldap_control_free`.
final class DirSyncControl {
    let control: UnsafeMutablePointer<LDAPControl>

    /// No flags: the bind account needs the "Replicating Directory Changes" right on the domain
    /// (as for Entra Connect). With LDAP_DIRSYNC_OBJECT_SECURITY it would need none, but would
    /// see only what its ACLs let it read, and that leaves out the tombstones of deleted users:
    /// deletions would go unnoticed until the next full read.
    static let flags: Int32 = 0
    /// Most bytes per round the client accepts (the server uses at least this much anyway).
    static let maxBytes: Int32 = 0x100000

    /// Asks for the changes after `cookie` (empty: everything, from the start).
    init(cookie: [UInt8], on connection: LDAPConnection) throws(LDAPError) {
        var bytes = cookie
        var created: UnsafeMutablePointer<LDAPControl>?
        let code = bytes.withUnsafeMutableBufferPointer { buffer in
            var value = berval(
                bv_len: ber_len_t(buffer.count),
                bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self))
            return ldap_create_dirsync_control(connection.handle, Self.flags, Self.maxBytes, &value, &created)
        }
        guard code == LDAP_SUCCESS, let created else {
            if let created { ldap_control_free(created) }
            throw connection.failure(code == LDAP_SUCCESS ? LDAP_NO_MEMORY : code, "create the DirSync control")
        }
        control = created
    }

    deinit {
        ldap_control_free(control)
    }
}

@available(*, unavailable)
extension DirSyncControl: Sendable {}

extension LDAPResponseControls {
    /// The DirSync response control: whether more changes wait (`moreResults`) and the cookie
    /// to send next; nil when the server sent no such control.
    func dirSyncState(on connection: LDAPConnection) throws(LDAPError) -> (more: Bool, cookie: [UInt8])? {
        guard let control = find(LDAP_CONTROL_X_DIRSYNC) else { return nil }
        var more: Int32 = 0
        var cookie = berval()
        let code = ldap_parse_dirsync_control(connection.handle, control, &more, &cookie)
        // The cookie's bytes are allocated by liblber.
        defer { if let bytes = cookie.bv_val { ber_memfree(bytes) } }
        guard code == LDAP_SUCCESS else { throw connection.failure(code, "decode the DirSync response control") }
        guard let start = cookie.bv_val, cookie.bv_len > 0 else { return (more != 0, []) }
        return (more != 0, Array(UnsafeRawBufferPointer(start: start, count: Int(cookie.bv_len))))
    }
}

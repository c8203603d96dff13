import CLDAP

extension RequestControl {
    /// DirSync flags: none. The bind account needs the "Replicating Directory Changes" right on
    /// the domain (as for Entra Connect). With LDAP_DIRSYNC_OBJECT_SECURITY it would need none,
    /// but would see only what its ACLs let it read, and that leaves out the tombstones of deleted
    /// users: deletions would go unnoticed until the next full read.
    static let dirSyncFlags: Int32 = 0
    /// Most bytes per round the client accepts (the server uses at least this much anyway).
    static let dirSyncMaxBytes: Int32 = 0x100000

    /// Active Directory's DirSync request control (1.2.840.113556.1.4.841, critical) for one
    /// round: the changes after `cookie` (empty: everything, from the start).
    static func dirSync(cookie: [UInt8], on connection: LDAPConnection) throws(LDAPError) -> RequestControl {
        var bytes = cookie
        return try RequestControl("DirSync", on: connection) { created in
            bytes.withUnsafeMutableBufferPointer { buffer in
                // ldap_create_dirsync_control encodes (copies) the cookie.
                var value = berval(
                    bv_len: ber_len_t(buffer.count),
                    bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self))
                return ldap_create_dirsync_control(connection.handle, dirSyncFlags, dirSyncMaxBytes, &value, &created)
            }
        }
    }
}

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

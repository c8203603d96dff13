import CLDAP

/// What a server said at the end of an operation (`ldap_parse_result`), copied into Swift values.
struct LDAPOperationResult {
    /// The LDAP result code (`LDAP_SUCCESS`, `LDAP_SIZELIMIT_EXCEEDED`, …).
    var code: Int32
    /// The server's diagnostic message, often the only hint at what is wrong.
    var diagnostic: String?
    var matchedDN: String?
    /// Where the server sent us instead (result code `LDAP_REFERRAL`).
    var referrals: [String]
    /// The response controls (the paged-results cookie), owned until this value goes.
    var controls: LDAPResponseControls?

    var isSuccess: Bool { code == LDAP_SUCCESS }

    /// `ldap_err2string` of the code, then the server's own text.
    var message: String {
        LDAPError.text(code: code, diagnostic: diagnostic)
    }
}

import CLDAP

/// Process-wide libldap setup.
enum LibLDAP {
    /// Runs libldap's global initialisation once, before any other call into it.
    ///
    /// The LDIF and DN functions do not initialise libldap themselves; until something does, its
    /// debug level is unset and they write diagnostics to stderr (`ldap_pvt_decode_b64_inplace:
    /// invalid base64 …`), which would break the daemon's one-line-per-record log format.
    /// Reading any global option initialises it.
    static func ensureInitialized() {
        _ = initialized
    }

    private static let initialized: Bool = {
        var level: Int32 = 0
        return ldap_get_option(nil, LDAP_OPT_DEBUG_LEVEL, &level) == LDAP_OPT_SUCCESS
    }()
}

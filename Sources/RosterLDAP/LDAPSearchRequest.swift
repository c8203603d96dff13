import CLDAP

/// One search as Roster runs it: a subtree search, or a base read of one entry.
struct LDAPSearchRequest {
    /// What the search is for (`users`, `groups`), for messages.
    var purpose: String
    var base: String
    var filter: String
    /// The attributes to return; operational ones (`entryUUID`) are only returned when named.
    var attributes: [String]
    /// Entries per page (RFC 2696); 0 sends one unpaged search.
    var pageSize: Int
    /// A limit the caller asks for (`config check --connect` wants one entry); reaching it is not an
    /// error. 0 asks for everything, and then any size limit the server applies fails the read.
    var sizeLimit: Int32 = 0
    /// Longest wait for one page; also sent to the server as the search's time limit.
    var timeout: Duration
    var scope: Scope = .subtree
    /// Active Directory: keep to the DC's own domain (`RequestControl.domainScope`).
    var domainScope = false

    enum Scope {
        case subtree
        /// The base entry only (a follow-up read of one entry).
        case base

        var value: Int32 { self == .base ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE }
    }

    /// `users search (base "ou=people,dc=example,dc=com", filter "(objectClass=inetOrgPerson)")`.
    var label: String {
        "\(purpose) search (base \"\(base)\", filter \"\(filter)\")"
    }
}

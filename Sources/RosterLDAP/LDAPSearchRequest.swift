/// One subtree search as Roster runs it.
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

    /// `users search (base "ou=people,dc=example,dc=com", filter "(objectClass=inetOrgPerson)")`.
    var label: String {
        "\(purpose) search (base \"\(base)\", filter \"\(filter)\")"
    }
}

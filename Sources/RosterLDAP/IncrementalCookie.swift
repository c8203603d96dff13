import Foundation

/// What an LDAP source keeps between runs to read only what changed: the server's own cookie
/// and what it was issued by. Stored as JSON; secrets never go in it.
enum IncrementalCookie: Codable, Equatable {
    /// Active Directory DirSync: the cookie and the DC that issued it.
    case dirSync(cookie: Data, server: DomainControllerIdentity)
    /// RFC 4533 content synchronisation: one cookie per search (users, groups).
    case contentSync(users: Data, groups: Data?)

}

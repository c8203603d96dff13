import Foundation

/// What an LDAP source keeps between runs to read only what changed: the server's own cookie
/// and what it was issued by. Stored as JSON; secrets never go in it.
enum IncrementalCookie: Codable, Equatable {
    /// Active Directory DirSync: the cookie and the DC that issued it.
    case dirSync(cookie: Data, server: DomainControllerIdentity)
    /// RFC 4533 content synchronisation: one cookie per search (users, groups).
    case contentSync(users: Data, groups: Data?)

    var text: String {
        // Encoding these plain values cannot fail.
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    init?(text: String) {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) else { return nil }
        self = value
    }
}

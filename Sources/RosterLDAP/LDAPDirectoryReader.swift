import Foundation
import RosterCore

/// One complete read of an LDAP source, blocking: bind, then the users search and the groups
/// search, each paged to its end. Throws `LDAPReadFailure` at the first sign that the read may
/// be short; `LDAPSource` turns that into an incomplete snapshot.
struct LDAPDirectoryReader {
    let options: LDAPSourceOptions
    let selectorAttributes: [String]
    let normalizer: any DNNormalizing
    var isCancelled: () -> Bool = { false }

    /// What a read returned, with the figures for logs and tests.
    struct Result {
        var users: [SourceUser] = []
        var groups: [SourceGroup] = []
        /// The server that answered.
        var url = ""
        /// Servers of the url list that were skipped, and why.
        var skipped: [String] = []
        var userPages = 0
        var groupPages = 0
        /// Entries the users search returned without the username attribute (not users).
        var entriesWithoutUsername = 0
    }

    func read() throws(LDAPReadFailure) -> Result {
        let mapper: EntryMapper
        do {
            mapper = try EntryMapper(users: options.users, groups: options.groups, normalizer: normalizer)
        } catch {
            throw LDAPReadFailure(error.description)
        }
        let bound = try connector().connect()
        var result = Result(url: bound.connection.url, skipped: bound.skipped)

        let users = LDAPSearchPlan.users(options, selectorAttributes: selectorAttributes)
        let userSearch = PagedSearch(connection: bound.connection, request: users, isCancelled: isCancelled)
        let userOutcome = try userSearch.run { entry throws(LDAPReadFailure) in
            let dn = try normalized(entry.dn, in: users, url: bound.connection.url)
            if let user = mapper.mapUser(entry, normalizedDN: dn) {
                result.users.append(user)
            } else {
                result.entriesWithoutUsername += 1
            }
        }
        result.userPages = userOutcome.pages

        if let groups = LDAPSearchPlan.groups(options) {
            let search = PagedSearch(connection: bound.connection, request: groups, isCancelled: isCancelled)
            let groupOutcome = try search.run { entry throws(LDAPReadFailure) in
                let dn = try normalized(entry.dn, in: groups, url: bound.connection.url)
                do throws(EntryMapper.MappingError) {
                    if let group = try mapper.mapGroup(entry, normalizedDN: dn) { result.groups.append(group) }
                } catch {
                    // A member DN Roster cannot place: the group's membership would be short.
                    throw LDAPReadFailure("\(bound.connection.url): \(groups.label): \(error.description)")
                }
            }
            result.groupPages = groupOutcome.pages
        }
        return result
    }

    /// The connector for this source: its url list, TLS settings and bind account.
    func connector() throws(LDAPReadFailure) -> LDAPConnector {
        let password = try options.bindPasswordFile.map { path throws(LDAPReadFailure) in
            try BindPassword.read(path: path)
        }
        return LDAPConnector(
            urls: options.urls, settings: Self.settings(options), bindDN: options.bindDN, password: password)
    }

    static func settings(_ options: LDAPSourceOptions) -> LDAPConnection.Settings {
        // A server that does not accept the connection within 10 s is taken as down, so that the
        // next URL is tried while there is still time in the run.
        LDAPConnection.Settings(
            tls: options.tls, connectTimeout: min(options.timeout, .seconds(10)), operationTimeout: options.timeout)
    }

    private func normalized(_ dn: String, in request: LDAPSearchRequest, url: String) throws(LDAPReadFailure) -> String
    {
        do {
            return try normalizer.normalize(dn)
        } catch {
            throw LDAPReadFailure("\(url): \(request.label): the server returned an invalid DN \"\(dn)\" (\(error))")
        }
    }
}

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
        /// Where the next incremental read starts; nil where the source offers none.
        var cookie: IncrementalCookie?
        /// Why no cookie could be taken although the source should offer one.
        var cookieProblem: String?
    }

    func read() throws(LDAPReadFailure) -> Result {
        let mapper = try makeMapper()
        let bound = try connector().connect()
        var result = Result(url: bound.connection.url, skipped: bound.skipped)
        // Taken first: whatever changes during this read is reported again by the next one.
        do {
            result.cookie = try currentCookie(on: bound.connection)
        } catch {
            result.cookieProblem = error.description
        }
        let users = LDAPSearchPlan.users(options, selectorAttributes: selectorAttributes)
        result.userPages = try search(users, on: bound.connection) { entry, dn throws(LDAPReadFailure) in
            if let user = mapper.mapUser(entry, normalizedDN: dn) {
                result.users.append(user)
            } else {
                result.entriesWithoutUsername += 1
            }
        }
        if let groups = LDAPSearchPlan.groups(options) {
            result.groupPages = try search(groups, on: bound.connection) { entry, dn throws(LDAPReadFailure) in
                if let group = try mapGroup(
                    entry, normalizedDN: dn, mapper: mapper, request: groups, on: bound.connection)
                {
                    result.groups.append(group)
                }
            }
        }
        return result
    }

    func makeMapper() throws(LDAPReadFailure) -> EntryMapper {
        do {
            var mapper = try EntryMapper(users: options.users, groups: options.groups, normalizer: normalizer)
            mapper.keptAttributes = Set(selectorAttributes.map { DirectoryEntry.key($0) })
            return mapper
        } catch {
            throw LDAPReadFailure(error.description)
        }
    }

    /// Runs `request` to its end and hands every entry on with its normalised DN. Entries with
    /// ranged values (`member;range=0-1499`) are completed once the search is over (a follow-up
    /// read in the middle of a page would interleave with it) and handed on then.
    /// Returns the number of pages.
    func search(
        _ request: LDAPSearchRequest, on connection: LDAPConnection,
        _ body: (DirectoryEntry, String) throws(LDAPReadFailure) -> Void
    ) throws(LDAPReadFailure) -> Int {
        var ranged: [DirectoryEntry] = []
        let outcome = try PagedSearch(connection: connection, request: request, isCancelled: isCancelled).run {
            entry throws(LDAPReadFailure) in
            if entry.hasRangedValues {
                ranged.append(entry)
            } else {
                try body(entry, try normalized(entry.dn, in: request, url: connection.url))
            }
        }
        let retrieval = RangedRetrieval(
            connection: connection, rangeSize: options.rangeSize, timeout: options.timeout, isCancelled: isCancelled)
        for entry in ranged {
            let complete = try retrieval.complete(entry)
            try body(complete, try normalized(complete.dn, in: request, url: connection.url))
        }
        return outcome.pages
    }

    /// A group entry as a group; a member DN Roster cannot place fails the read, since the
    /// group's membership would be short.
    func mapGroup(
        _ entry: DirectoryEntry, normalizedDN: String, mapper: EntryMapper, request: LDAPSearchRequest,
        on connection: LDAPConnection
    ) throws(LDAPReadFailure) -> SourceGroup? {
        do throws(EntryMapper.MappingError) {
            return try mapper.mapGroup(entry, normalizedDN: normalizedDN)
        } catch {
            throw LDAPReadFailure("\(connection.url): \(request.label): \(error.description)")
        }
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

    func normalized(_ dn: String, in request: LDAPSearchRequest, url: String) throws(LDAPReadFailure) -> String {
        do {
            return try normalizer.normalize(dn)
        } catch {
            throw LDAPReadFailure("\(url): \(request.label): the server returned an invalid DN \"\(dn)\" (\(error))")
        }
    }
}

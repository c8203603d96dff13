import RosterCore

/// What `roster config check --connect` found on one LDAP source.
public struct LDAPProbeReport: Sendable {
    /// False when the bind or a search failed, or the users search found nobody.
    public var ok: Bool
    /// One finding per line: the server used, a sample user and group, or the exact failure.
    public var lines: [String]
}

/// The "validate" button of admin consoles: bind, then ask for one user and one group, and say
/// what came back. Blocking, like `LDAPDirectoryReader`.
struct LDAPProbe {
    let options: LDAPSourceOptions
    let selectorAttributes: [String]
    let normalizer: any DNNormalizing
    let warnings: [String]

    func run() -> LDAPProbeReport {
        var lines = warnings.map { "warning: \($0)" }
        let reader = LDAPDirectoryReader(
            options: options, selectorAttributes: selectorAttributes, normalizer: normalizer)
        let bound: LDAPConnector.Bound
        do {
            bound = try reader.connector().connect()
        } catch {
            return LDAPProbeReport(ok: false, lines: lines + [error.description])
        }
        lines += bound.skipped.map { "skipped \($0)" }
        lines.append("bound to \(bound.connection.url) as \(options.bindDN ?? "anonymous")")
        do {
            let users = LDAPSearchPlan.users(
                options, selectorAttributes: selectorAttributes, pageSize: 0, sizeLimit: 1)
            guard let user = try first(users, on: bound.connection) else {
                lines.append("users: \(nothingFound(users))")
                return LDAPProbeReport(ok: false, lines: lines)
            }
            lines.append("users: found \(describe(user))")
            if let groups = LDAPSearchPlan.groups(options, pageSize: 0, sizeLimit: 1) {
                // No group is worth saying, but not a failure: a directory may have none yet.
                guard let group = try first(groups, on: bound.connection) else {
                    lines.append("groups: \(nothingFound(groups))")
                    return LDAPProbeReport(ok: true, lines: lines)
                }
                let member = options.groups?.memberAttribute ?? "member"
                lines.append("groups: found \(group.dn) (\(group.values(member).count) \(member) values)")
            }
        } catch {
            lines.append(error.description)
            return LDAPProbeReport(ok: false, lines: lines)
        }
        return LDAPProbeReport(ok: true, lines: lines)
    }

    private func nothingFound(_ request: LDAPSearchRequest) -> String {
        "no entry under \(request.base) matches \(request.filter); check \(request.purpose).base and"
            + " \(request.purpose).filter"
    }

    private func first(_ request: LDAPSearchRequest, on connection: LDAPConnection) throws(LDAPReadFailure)
        -> DirectoryEntry?
    {
        var found: DirectoryEntry?
        _ = try PagedSearch(connection: connection, request: request).run { entry in
            if found == nil { found = entry }
        }
        // A group read in windows (`member;range=0-499`): count all its members, as a sync would.
        guard let entry = found, entry.hasRangedValues else { return found }
        return try RangedRetrieval(connection: connection, rangeSize: options.rangeSize, timeout: options.timeout)
            .complete(entry)
    }

    /// `uid=alice,ou=people,dc=example,dc=com (entryUUID 5f…, uid alice, mail alice@example.com)`.
    private func describe(_ entry: DirectoryEntry) -> String {
        let map = options.users.attributes
        let fields = [map.id, map.username, map.email].map { attribute in
            let value = entry.values(attribute).first.map { AttributeValue.identifier($0, attribute: attribute) }
            return "\(attribute) \(value ?? "(none)")"
        }
        return "\(entry.dn) (\(fields.joined(separator: ", ")))"
    }
}

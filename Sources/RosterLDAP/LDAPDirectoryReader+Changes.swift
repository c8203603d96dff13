import CLDAP
import Foundation
import RosterCore

/// Incremental reads: Active Directory's DirSync and OpenLDAP's RFC 4533 content
/// synchronisation. Either way the result is the entries that changed, read whole and mapped
/// exactly as a full read maps them, and the ids of those gone.
///
/// Deletions arrive as entryUUIDs / objectGUIDs, so incremental reads are only offered when
/// that is the id attribute (`users.attributes.id`, the flavor's default).
extension LDAPDirectoryReader {
    /// The mechanism this source's server and settings allow, if any.
    enum ChangeMechanism {
        case dirSync
        case contentSync
    }

    var changeMechanism: ChangeMechanism? {
        switch options.flavor {
        case .activeDirectory:
            return LDAPText.equalIgnoringCase(options.users.attributes.id, "objectGUID") ? .dirSync : nil
        case .openldap:
            return LDAPText.equalIgnoringCase(options.users.attributes.id, "entryUUID") ? .contentSync : nil
        case .ds389:
            return nil
        }
    }

    /// What an incremental read found.
    enum ChangeRead {
        case changes(SourceChanges, cookie: IncrementalCookie, skipped: [String])
        case refused(String)
    }

    /// The server's cookie for "now", taken on `connection` before a full read, so that the next
    /// incremental read reports whatever changed during it.
    func currentCookie(on connection: LDAPConnection) throws(LDAPReadFailure) -> IncrementalCookie? {
        switch changeMechanism {
        case .dirSync:
            let server = try DomainControllerIdentity.read(on: connection, timeout: options.timeout)
            do {
                let result = try dirSync(on: connection, server: server).run(from: [], filter: DirSyncSearch.nothing)
                return .dirSync(cookie: Data(result.cookie), server: server)
            } catch {
                switch error {
                case .refused(let text): throw LDAPReadFailure("\(connection.url): DirSync: \(text)")
                case .read(let failure): throw failure
                }
            }
        case .contentSync:
            // A server without syncprov is simply read in full every time; only one that offers
            // content synchronisation and then fails is worth a warning.
            guard try serverSupports(String(cString: ROSTER_LDAP_CONTROL_SYNC), on: connection) else { return nil }
            let users = try ContentSyncSearch.currentCookie(
                connection: connection, base: options.users.base, timeout: options.timeout)
            let groups = try options.groups.map { groups throws(LDAPReadFailure) in
                try ContentSyncSearch.currentCookie(connection: connection, base: groups.base, timeout: options.timeout)
            }
            return .contentSync(users: Data(users), groups: groups.map { Data($0) })
        case nil:
            return nil
        }
    }

    /// The changes since `cookie`.
    func readChanges(since cookie: IncrementalCookie) throws(LDAPReadFailure) -> ChangeRead {
        let mapper = try makeMapper()
        let bound = try connector().connect()
        let connection = bound.connection
        switch cookie {
        case .dirSync(let bytes, let then):
            guard changeMechanism == .dirSync else { return .refused("the source is no longer read with DirSync") }
            let now = try DomainControllerIdentity.read(on: connection, timeout: options.timeout)
            if let mismatch = then.mismatch(with: now) { return .refused(mismatch) }
            let found: DirSyncSearch.Result
            do {
                found = try dirSync(on: connection, server: now).run(from: [UInt8](bytes))
            } catch {
                switch error {
                case .refused(let text): return .refused("the domain controller refused the DirSync cookie: \(text)")
                case .read(let failure): throw failure
                }
            }
            var changes = try reread(found.changed, mapper: mapper, on: connection)
            changes.removed.formUnion(found.deleted.compactMap(AttributeValue.guid))
            changes.membersFollowRenames = true
            return .changes(
                changes, cookie: .dirSync(cookie: Data(found.cookie), server: now), skipped: bound.skipped)
        case .contentSync(let usersCookie, let groupsCookie):
            guard changeMechanism == .contentSync else {
                return .refused("the source is no longer read with content synchronisation")
            }
            var changes = SourceChanges()
            let users = LDAPSearchPlan.users(options, selectorAttributes: selectorAttributes)
            let userResult: ContentSyncResult
            switch try contentSync(users, from: usersCookie, on: connection) {
            case .changes(let result): userResult = result
            case .refreshRequired(let text): return .refused("users: \(text)")
            }
            for entry in userResult.changed {
                let dn = try normalized(entry.dn, in: users, url: connection.url)
                if let user = mapper.mapUser(entry, normalizedDN: dn) {
                    changes.users.append(user)
                } else {
                    // No longer a user (its username is gone), as a full read would not list it.
                    changes.removed.formUnion(entry.strings("entryUUID"))
                }
            }
            changes.removed.formUnion(userResult.deleted)
            changes.presentUsers = userResult.present
            var newGroupsCookie: Data?
            if let groups = LDAPSearchPlan.groups(options) {
                guard let groupsCookie else { return .refused("the stored cookie has no groups part") }
                let groupResult: ContentSyncResult
                switch try contentSync(groups, from: groupsCookie, on: connection) {
                case .changes(let result): groupResult = result
                case .refreshRequired(let text): return .refused("groups: \(text)")
                }
                for entry in groupResult.changed {
                    let dn = try normalized(entry.dn, in: groups, url: connection.url)
                    if let group = try mapGroup(
                        entry, normalizedDN: dn, mapper: mapper, request: groups, on: connection)
                    {
                        changes.groups.append(group)
                    } else {
                        changes.removed.formUnion(entry.strings("entryUUID"))
                    }
                }
                changes.removed.formUnion(groupResult.deleted)
                changes.presentGroups = groupResult.present
                newGroupsCookie = groupResult.cookie.map { Data($0) } ?? groupsCookie
            }
            // With a session log, each search also names the other search's changed entries as
            // gone (they do not match its filter): a changed entry is never a removed one.
            changes.removed.subtract(changes.users.map(\.externalID))
            changes.removed.subtract(changes.groups.map(\.externalID))
            let newUsersCookie = userResult.cookie.map { Data($0) } ?? usersCookie
            return .changes(
                changes, cookie: .contentSync(users: newUsersCookie, groups: newGroupsCookie), skipped: bound.skipped)
        }
    }

    /// Whether the rootDSE lists `control` among its `supportedControl` values.
    private func serverSupports(_ control: String, on connection: LDAPConnection) throws(LDAPReadFailure) -> Bool {
        let root = try EntryRead.entry("", attributes: ["supportedControl"], on: connection, timeout: options.timeout)
        return root?.strings("supportedControl").contains(control) ?? false
    }

    // MARK: - DirSync

    private func dirSync(on connection: LDAPConnection, server: DomainControllerIdentity) -> DirSyncSearch {
        let users = LDAPSearchPlan.users(options, selectorAttributes: selectorAttributes)
        // `name`: AD restamps it on every rename and move, and DirSync reports an object only
        // when an attribute asked for changed (the RDN attribute itself, `cn`, never counts).
        var attributes = users.attributes + ["name"]
        if let groups = options.groups {
            // Plain `member`: DirSync hands out whole values, never ranges.
            attributes += ["cn", groups.nameAttribute, groups.memberAttribute]
        }
        return DirSyncSearch(
            connection: connection, namingContext: server.namingContext, attributes: attributes,
            timeout: options.timeout, isCancelled: isCancelled)
    }

    /// Reads the objects DirSync named with the source's own searches (base, filter, ranged
    /// members), a hundred at a time: what a search finds is changed; what neither finds was
    /// deleted, moved out of the base or no longer matches the filter, and is gone.
    private func reread(
        _ guids: [[UInt8]], mapper: EntryMapper, on connection: LDAPConnection
    ) throws(LDAPReadFailure) -> SourceChanges {
        var changes = SourceChanges()
        var found: Set<String> = []
        var start = 0
        while start < guids.count {
            let chunk = guids[start..<min(start + 100, guids.count)]
            start += chunk.count
            let match = "(|" + chunk.map { "(objectGUID=\(Self.escaped($0)))" }.joined() + ")"
            var users = LDAPSearchPlan.users(options, selectorAttributes: selectorAttributes)
            users.filter = "(&\(users.filter)\(match))"
            _ = try search(users, on: connection) { entry, dn throws(LDAPReadFailure) in
                if let user = mapper.mapUser(entry, normalizedDN: dn) {
                    changes.users.append(user)
                    found.insert(user.externalID)
                }
            }
            if var groups = LDAPSearchPlan.groups(options) {
                groups.filter = "(&\(groups.filter)\(match))"
                _ = try search(groups, on: connection) { entry, dn throws(LDAPReadFailure) in
                    if let group = try mapGroup(
                        entry, normalizedDN: dn, mapper: mapper, request: groups, on: connection)
                    {
                        changes.groups.append(group)
                        found.insert(group.externalID)
                    }
                }
            }
        }
        changes.removed = Set(guids.compactMap(AttributeValue.guid)).subtracting(found)
        return changes
    }

    /// Binary filter value (RFC 4515): every byte as `\xx`.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { "\\" + String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    // MARK: - Content synchronisation

    private func contentSync(
        _ request: LDAPSearchRequest, from cookie: Data, on connection: LDAPConnection
    ) throws(LDAPReadFailure) -> ContentSyncOutcome {
        var request = request
        request.attributes.append("entryUUID")
        return try ContentSyncSearch(connection: connection, request: request, isCancelled: isCancelled).run(
            cookie: [UInt8](cookie))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

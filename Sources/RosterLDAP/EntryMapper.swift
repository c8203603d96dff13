import Foundation
import RosterCore

/// Turns directory entries into a snapshot's users and groups, by the source's user and group
/// settings. Kept apart from LDIF so that the LDAP client can map its search results the same way.
struct EntryMapper: Sendable {
    let users: UserQuery
    let groups: GroupQuery?
    let normalizer: any DNNormalizing
    /// When the read started: accounts whose `accountExpires` lies before it are disabled.
    var now = Date()
    /// The attributes users keep for `attribute:` selectors (lower-cased); nil keeps all. An
    /// LDAP read keeps only those its mappings name: a copy of every attribute of 100,000 users
    /// would cost more memory than the rest of the run.
    var keptAttributes: Set<String>?
    private let userBase: String
    private let groupBase: String?

    /// What one entry is to Roster.
    enum Mapped {
        case user(SourceUser)
        case group(SourceGroup)
        case neither
    }

    /// Throws `MappingError` when a base is not a valid DN.
    init(users: UserQuery, groups: GroupQuery?, normalizer: any DNNormalizing) throws(MappingError) {
        self.users = users
        self.groups = groups
        self.normalizer = normalizer
        do {
            self.userBase = try normalizer.normalize(users.base)
        } catch {
            throw MappingError("users.base \"\(users.base)\" is not a valid DN (\(error))")
        }
        if let groups {
            do {
                self.groupBase = try normalizer.normalize(groups.base)
            } catch {
                throw MappingError("groups.base \"\(groups.base)\" is not a valid DN (\(error))")
            }
        } else {
            self.groupBase = nil
        }
    }

    struct MappingError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Classifying

    /// Entries of a group class are groups even when they carry the username attribute
    /// (AD groups have a `sAMAccountName`); this matters only when the two bases overlap.
    private static let groupClasses: Set<String> = [
        "groupofnames", "groupofuniquenames", "posixgroup", "group", "groupofurls", "groupofmembers",
        "groupofentries",
    ]

    /// A user: under `users.base`, with a username, and not of a group class. A group: a
    /// descendant of `groups.base` (not the base itself) with the name attribute, that is not
    /// already a user (or is of a group class).
    func map(_ entry: DirectoryEntry, normalizedDN: String) throws(MappingError) -> Mapped {
        let isGroupClass = entry.strings("objectClass").contains { Self.groupClasses.contains($0.lowercased()) }
        let isUser =
            !isGroupClass && EntryMapper.within(normalizedDN, userBase)
            && entry.string(users.attributes.username) != nil
        if isUser {
            return .user(user(entry, normalizedDN: normalizedDN))
        }
        if let groups, let groupBase, normalizedDN != groupBase, EntryMapper.within(normalizedDN, groupBase),
            let name = entry.string(groups.nameAttribute)
        {
            return .group(try group(entry, normalizedDN: normalizedDN, name: name, query: groups))
        }
        return .neither
    }

    /// An entry a users search returned: the server's filter already decided it is a user, so
    /// only the username is required (as for LDIF users).
    func mapUser(_ entry: DirectoryEntry, normalizedDN: String) -> SourceUser? {
        guard entry.string(users.attributes.username) != nil else { return nil }
        return user(entry, normalizedDN: normalizedDN)
    }

    /// An entry a groups search returned: a group when it has the name attribute.
    func mapGroup(_ entry: DirectoryEntry, normalizedDN: String) throws(MappingError) -> SourceGroup? {
        guard let groups, let name = entry.string(groups.nameAttribute) else { return nil }
        return try group(entry, normalizedDN: normalizedDN, name: name, query: groups)
    }

    private static func within(_ dn: String, _ base: String) -> Bool {
        LDAPDNNormalizer.isWithin(dn, base: base)
    }

    // MARK: - Users

    /// A user without an id value is still returned, with an empty `externalID`: the planner
    /// then skips it with a reason ("no employeeNumber value") that admins see, where leaving it
    /// out here would hide it.
    private func user(_ entry: DirectoryEntry, normalizedDN: String) -> SourceUser {
        let map = users.attributes
        let id = entry.values(map.id).first { !$0.isEmpty }.map { AttributeValue.identifier($0, attribute: map.id) }
        var attributes: [String: [String]] = [:]
        for (name, values) in entry.attributes where keptAttributes?.contains(name) ?? true {
            let form = AttributeValue.BinaryForm(attribute: name)
            attributes[name] = values.map { AttributeValue.display($0, form: form) }
        }
        return SourceUser(
            externalID: id ?? "", dn: entry.dn, normalizedDN: normalizedDN, username: entry.string(map.username),
            email: entry.string(map.email), firstName: entry.string(map.firstName),
            lastName: entry.string(map.lastName),
            disabled: Self.isDisabled(entry) || ActiveDirectoryAccount.hasExpired(entry, at: now),
            attributes: attributes, primaryGroupSID: ActiveDirectoryAccount.primaryGroupSID(entry))
    }

    // Keyed once: names longer than 15 bytes would be lower-cased into a new string at every user.
    private static let lockedTimeKey = DirectoryEntry.key("pwdAccountLockedTime")
    private static let accountControlKey = DirectoryEntry.key("userAccountControl")

    /// Locked or disabled by any of the three servers' conventions (SPEC §4.3).
    static func isDisabled(_ entry: DirectoryEntry) -> Bool {
        // OpenLDAP ppolicy: present while the account is locked (`000001010000Z`: for good).
        if entry.has(lockedTimeKey) { return true }
        // 389 Directory Server.
        if entry.strings("nsAccountLock").contains(where: { LDAPText.equalIgnoringCase($0, "true") }) { return true }
        // Active Directory: ACCOUNTDISABLE is bit 0x2 of userAccountControl.
        return entry.strings(accountControlKey).contains { value in
            guard let flags = Int64(value.trimmingCharacters(in: .whitespaces)) else { return false }
            return flags & 0x2 != 0
        }
    }

    // MARK: - Groups

    /// Members are normalised DNs, or usernames as written for `memberUid`. A member DN that
    /// does not parse fails the read: a membership Roster cannot place could otherwise revoke
    /// access from a read that looks complete.
    private func group(
        _ entry: DirectoryEntry, normalizedDN: String, name: String, query: GroupQuery
    ) throws(MappingError) -> SourceGroup {
        let values = entry.strings(query.memberAttribute).filter { !$0.isEmpty }
        var members: [String] = []
        members.reserveCapacity(values.count)
        if query.membersAreUsernames {
            members = values
        } else {
            for value in values {
                do {
                    members.append(try normalizer.normalize(value))
                } catch {
                    throw MappingError("group \"\(entry.dn)\": \(query.memberAttribute) \(error)")
                }
            }
        }
        let id = entry.values(users.attributes.id).first { !$0.isEmpty }
        return SourceGroup(
            dn: entry.dn, normalizedDN: normalizedDN, name: name, members: members,
            externalID: id.map { AttributeValue.identifier($0, attribute: users.attributes.id) } ?? "",
            securityID: ActiveDirectoryAccount.securityID(entry))
    }
}

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
    /// The mapped attribute names folded once, not at every lookup of every entry.
    private let keys: Keys

    private struct Keys {
        var id, username, email, firstName, lastName: String
        /// Empty without a groups search.
        var groupName, member: String

        init(users: UserQuery, groups: GroupQuery?) {
            let map = users.attributes
            id = DirectoryEntry.key(map.id)
            username = DirectoryEntry.key(map.username)
            email = DirectoryEntry.key(map.email)
            firstName = DirectoryEntry.key(map.firstName)
            lastName = DirectoryEntry.key(map.lastName)
            groupName = groups.map { DirectoryEntry.key($0.nameAttribute) } ?? ""
            member = groups.map { DirectoryEntry.key($0.memberAttribute) } ?? ""
        }
    }

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
        self.keys = Keys(users: users, groups: groups)
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
        let isGroupClass = entry.strings(key: Self.objectClassKey).contains {
            Self.groupClasses.contains($0.lowercased())
        }
        let isUser =
            !isGroupClass && EntryMapper.within(normalizedDN, userBase)
            && entry.string(key: keys.username) != nil
        if isUser {
            return .user(user(entry, normalizedDN: normalizedDN))
        }
        if let groups, let groupBase, normalizedDN != groupBase, EntryMapper.within(normalizedDN, groupBase),
            let name = entry.string(key: keys.groupName)
        {
            return .group(try group(entry, normalizedDN: normalizedDN, name: name, query: groups))
        }
        return .neither
    }

    /// An entry a users search returned: the server's filter already decided it is a user, so
    /// only the username is required (as for LDIF users).
    func mapUser(_ entry: DirectoryEntry, normalizedDN: String) -> SourceUser? {
        guard entry.string(key: keys.username) != nil else { return nil }
        return user(entry, normalizedDN: normalizedDN)
    }

    /// An entry a groups search returned: a group when it has the name attribute.
    func mapGroup(_ entry: DirectoryEntry, normalizedDN: String) throws(MappingError) -> SourceGroup? {
        guard let groups, let name = entry.string(key: keys.groupName) else { return nil }
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
        let id = entry.values(key: keys.id).first { !$0.isEmpty }.map {
            AttributeValue.identifier($0, attribute: map.id)
        }
        var attributes: [String: [String]] = [:]
        // Most configurations select on no attribute: then no key is looked up at all.
        let keepsAny = keptAttributes.map { !$0.isEmpty } ?? true
        for field in entry.fields where keepsAny && keptAttributes?.contains(field.key) ?? true {
            let form = AttributeValue.BinaryForm(attribute: field.key)
            attributes[field.key] = field.values.map { AttributeValue.display($0, form: form) }
        }
        return SourceUser(
            externalID: id ?? "", dn: entry.dn, normalizedDN: normalizedDN, username: entry.string(key: keys.username),
            email: entry.string(key: keys.email), firstName: entry.string(key: keys.firstName),
            lastName: entry.string(key: keys.lastName),
            disabled: Self.isDisabled(entry) || ActiveDirectoryAccount.hasExpired(entry, at: now),
            attributes: attributes, primaryGroupSID: ActiveDirectoryAccount.primaryGroupSID(entry))
    }

    // Keyed once: names longer than 15 bytes would be lower-cased into a new string at every user.
    private static let lockedTimeKey = DirectoryEntry.key("pwdAccountLockedTime")
    private static let accountLockKey = DirectoryEntry.key("nsAccountLock")
    private static let accountControlKey = DirectoryEntry.key("userAccountControl")
    private static let objectClassKey = DirectoryEntry.key("objectClass")

    /// Locked or disabled by any of the three servers' conventions (SPEC §4.3).
    static func isDisabled(_ entry: DirectoryEntry) -> Bool {
        // OpenLDAP ppolicy: present while the account is locked (`000001010000Z`: for good).
        if entry.has(key: lockedTimeKey) { return true }
        // 389 Directory Server.
        if entry.strings(key: accountLockKey).contains(where: { LDAPText.equalIgnoringCase($0, "true") }) {
            return true
        }
        // Active Directory: ACCOUNTDISABLE is bit 0x2 of userAccountControl.
        return entry.strings(key: accountControlKey).contains { value in
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
        let values = entry.strings(key: keys.member).filter { !$0.isEmpty }
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
        let id = entry.values(key: keys.id).first { !$0.isEmpty }
        return SourceGroup(
            dn: entry.dn, normalizedDN: normalizedDN, name: name, members: members,
            externalID: id.map { AttributeValue.identifier($0, attribute: users.attributes.id) } ?? "",
            securityID: ActiveDirectoryAccount.securityID(entry))
    }
}

import RosterCore

/// The two searches of an LDAP source: which base, which filter, and which attributes.
///
/// Only the attributes Roster uses are requested, by name: the five mapped ones, `objectClass`,
/// the account-lock attributes of the three flavors, and the attributes that `attribute:`
/// selectors read. `*` would also bring photos and certificates of every user over the wire, and
/// would still miss the operational ones (`entryUUID`, `pwdAccountLockedTime`, `nsAccountLock`),
/// which a server returns only when asked by name. Names a server does not know are ignored by it.
enum LDAPSearchPlan {
    /// Lock state in each flavor: OpenLDAP ppolicy, 389 Directory Server, Active Directory.
    static let lockAttributes = ["pwdAccountLockedTime", "nsAccountLock", "userAccountControl"]
    /// Active Directory: account expiry, and the SID and primary group id that place a user in
    /// its primary group.
    static let activeDirectoryUserAttributes = ["accountExpires", "objectSid", "primaryGroupID"]

    static func users(
        _ options: LDAPSourceOptions, selectorAttributes: [String], pageSize: Int? = nil, sizeLimit: Int32 = 0
    ) -> LDAPSearchRequest {
        let map = options.users.attributes
        let attributes =
            ["objectClass", map.id, map.username, map.email, map.firstName, map.lastName] + lockAttributes
            + (options.flavor == .activeDirectory ? activeDirectoryUserAttributes : []) + selectorAttributes
        return LDAPSearchRequest(
            purpose: "users", base: options.users.base,
            filter: options.users.filter ?? defaultUserFilter(options.flavor, username: map.username),
            attributes: unique(attributes), pageSize: pageSize ?? options.pageSize, sizeLimit: sizeLimit,
            timeout: options.timeout, domainScope: options.flavor == .activeDirectory)
    }

    static func groups(_ options: LDAPSourceOptions, pageSize: Int? = nil, sizeLimit: Int32 = 0) -> LDAPSearchRequest? {
        guard let groups = options.groups else { return nil }
        var attributes = ["objectClass", options.users.attributes.id, groups.nameAttribute]
        if options.flavor == .activeDirectory { attributes.append("objectSid") }
        attributes.append(memberAttribute(options) ?? groups.memberAttribute)
        return LDAPSearchRequest(
            purpose: "groups", base: groups.base, filter: groups.filter ?? defaultGroupFilter(options.flavor),
            attributes: unique(attributes),
            pageSize: pageSize ?? options.pageSize, sizeLimit: sizeLimit, timeout: options.timeout,
            domainScope: options.flavor == .activeDirectory)
    }

    /// `member;range=0-499` with `range_size: 500`: the first window of an explicit ranged read.
    static func memberAttribute(_ options: LDAPSourceOptions) -> String? {
        guard let groups = options.groups, let size = options.rangeSize else { return nil }
        return RangedAttribute.request(groups.memberAttribute, from: 0, size: size)
    }

    // MARK: - Defaults

    /// Without `users.filter`: entries with the username attribute, as for LDIF sources; in
    /// Active Directory, people only (computer accounts have a `sAMAccountName` too).
    static func defaultUserFilter(_ flavor: DirectoryFlavor, username: String) -> String {
        switch flavor {
        case .activeDirectory: return "(&(objectCategory=person)(objectClass=user)(\(username)=*))"
        case .openldap, .ds389: return "(\(username)=*)"
        }
    }

    /// Without `groups.filter`: entries of the usual group classes.
    static func defaultGroupFilter(_ flavor: DirectoryFlavor) -> String {
        switch flavor {
        case .activeDirectory: return "(objectClass=group)"
        case .openldap, .ds389:
            return "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup)"
                + "(objectClass=groupOfMembers))"
        }
    }

    /// Attribute names compare case-insensitively; the first spelling is kept.
    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0.lowercased()).inserted }
    }
}

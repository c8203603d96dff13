/// One identity provider Roster reads.
public struct SourceConfiguration: Sendable {
    public var name: String
    public var kind: Kind
    /// An empty read of a source that has managed users is taken as incomplete unless this is set.
    public var allowEmpty: Bool

    public enum Kind: Sendable {
        case ldap(LDAPSourceOptions)
        case ldif(LDIFSourceOptions)
        case oidc(OIDCSourceOptions)
    }

    public init(name: String, kind: Kind, allowEmpty: Bool = false) {
        self.name = name
        self.kind = kind
        self.allowEmpty = allowEmpty
    }

    public var typeName: String {
        switch kind {
        case .ldap: return "ldap"
        case .ldif: return "ldif"
        case .oidc: return "oidc"
        }
    }
}

/// Which server software an LDAP source is; sets attribute defaults.
public enum DirectoryFlavor: String, Sendable, CaseIterable {
    case openldap
    case activeDirectory = "active-directory"
    case ds389 = "389ds"
}

/// Which entry attribute feeds each user field.
public struct AttributeMap: Sendable, Hashable {
    public var id: String
    public var username: String
    public var email: String
    public var firstName: String
    public var lastName: String

    public init(id: String, username: String, email: String, firstName: String, lastName: String) {
        self.id = id
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }

    /// The defaults of SPEC §3 for a flavor (ldif sources use the openldap ones).
    public static func defaults(for flavor: DirectoryFlavor) -> AttributeMap {
        switch flavor {
        case .openldap:
            return AttributeMap(id: "entryUUID", username: "uid", email: "mail", firstName: "givenName", lastName: "sn")
        case .activeDirectory:
            return AttributeMap(
                id: "objectGUID", username: "sAMAccountName", email: "mail", firstName: "givenName", lastName: "sn")
        case .ds389:
            return AttributeMap(
                id: "nsUniqueId", username: "uid", email: "mail", firstName: "givenName", lastName: "sn")
        }
    }
}

public struct UserQuery: Sendable {
    public var base: String
    /// Always nil for ldif sources.
    public var filter: String?
    public var attributes: AttributeMap

    public init(base: String, filter: String? = nil, attributes: AttributeMap) {
        self.base = base
        self.filter = filter
        self.attributes = attributes
    }
}

public struct GroupQuery: Sendable {
    public var base: String
    public var filter: String?
    /// `member`, `uniqueMember` (DNs) or `memberUid` (usernames).
    public var memberAttribute: String
    /// Attribute giving a group's name for `group_name` selectors.
    public var nameAttribute: String
    public var nested: Bool

    public init(
        base: String, filter: String? = nil, memberAttribute: String = "member", nameAttribute: String = "cn",
        nested: Bool = false
    ) {
        self.base = base
        self.filter = filter
        self.memberAttribute = memberAttribute
        self.nameAttribute = nameAttribute
        self.nested = nested
    }

    /// `memberUid` lists usernames rather than DNs.
    public var membersAreUsernames: Bool { memberAttribute.lowercased() == "memberuid" }
}

public struct TLSOptions: Sendable {
    public var caFile: String?
    public var startTLS: Bool
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, startTLS: Bool = false, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.startTLS = startTLS
        self.insecureSkipVerify = insecureSkipVerify
    }
}

public struct LDAPSourceOptions: Sendable {
    public var urls: [String]
    public var bindDN: String?
    public var bindPasswordFile: String?
    public var tls: TLSOptions
    public var flavor: DirectoryFlavor
    public var pageSize: Int
    /// Active Directory: values per window of a ranged `member;range=lo-hi` read. Nil asks for
    /// everything and follows whatever windows the server (MaxValRange) cuts.
    public var rangeSize: Int?
    public var timeout: Duration
    public var users: UserQuery
    public var groups: GroupQuery?

    public init(
        urls: [String], bindDN: String? = nil, bindPasswordFile: String? = nil, tls: TLSOptions = TLSOptions(),
        flavor: DirectoryFlavor = .openldap, pageSize: Int = 500, rangeSize: Int? = nil,
        timeout: Duration = .seconds(30), users: UserQuery, groups: GroupQuery? = nil
    ) {
        self.urls = urls
        self.bindDN = bindDN
        self.bindPasswordFile = bindPasswordFile
        self.tls = tls
        self.flavor = flavor
        self.pageSize = pageSize
        self.rangeSize = rangeSize
        self.timeout = timeout
        self.users = users
        self.groups = groups
    }
}

public struct LDIFSourceOptions: Sendable {
    /// Resolved against the working directory when relative (the loader stores it absolute).
    public var path: String
    public var users: UserQuery
    public var groups: GroupQuery?

    public init(path: String, users: UserQuery, groups: GroupQuery? = nil) {
        self.path = path
        self.users = users
        self.groups = groups
    }
}

/// Claim paths for each user field, e.g. `realm_access.roles`.
public struct ClaimMap: Sendable, Hashable {
    public var id: String
    public var username: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var groups: String

    public init(
        id: String = "sub", username: String = "preferred_username", email: String = "email",
        firstName: String = "given_name", lastName: String = "family_name", groups: String = "groups"
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.groups = groups
    }
}

public struct OIDCSourceOptions: Sendable {
    public var issuer: String
    public var clientID: String
    public var clientSecretFile: String?
    public var audience: [String]
    public var claims: ClaimMap
    public var claimsMaxAge: Duration
    public var refreshEvery: Duration
    public var tokenKeyFile: String?
    public var tls: TLSOptions

    public init(
        issuer: String, clientID: String, clientSecretFile: String? = nil, audience: [String] = [],
        claims: ClaimMap = ClaimMap(), claimsMaxAge: Duration = .seconds(24 * 3600),
        refreshEvery: Duration = .seconds(3600), tokenKeyFile: String? = nil, tls: TLSOptions = TLSOptions()
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecretFile = clientSecretFile
        self.audience = audience
        self.claims = claims
        self.claimsMaxAge = claimsMaxAge
        self.refreshEvery = refreshEvery
        self.tokenKeyFile = tokenKeyFile
        self.tls = tls
    }
}

/// A user as one source describes it, before any mapping.
public struct SourceUser: Sendable, Hashable, Codable {
    /// entryUUID, objectGUID, OIDC `sub`…: stable across renames.
    public var externalID: String
    /// The entry's DN as read (nil for OIDC).
    public var dn: String?
    /// `dn` normalised for comparison (see `DNNormalizing`).
    public var normalizedDN: String?
    public var username: String?
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    /// Locked or disabled in the source: synced as inactive.
    public var disabled: Bool
    /// Every attribute read, keyed by lower-cased attribute name (for `attribute` selectors).
    public var attributes: [String: [String]]
    /// OIDC claims (for `claim` selectors); nil for directory sources.
    public var claims: JSONValue?
    /// Active Directory: the SID of the user's primary group (domain SID + `primaryGroupID`),
    /// a membership AD does not list in the group's `member` values.
    public var primaryGroupSID: String?

    public init(
        externalID: String, dn: String? = nil, normalizedDN: String? = nil, username: String? = nil,
        email: String? = nil, firstName: String? = nil, lastName: String? = nil, disabled: Bool = false,
        attributes: [String: [String]] = [:], claims: JSONValue? = nil, primaryGroupSID: String? = nil
    ) {
        self.externalID = externalID
        self.dn = dn
        self.normalizedDN = normalizedDN
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.disabled = disabled
        self.attributes = attributes
        self.claims = claims
        self.primaryGroupSID = primaryGroupSID
    }

    /// The name to show in reasons: the username, else the DN, else the id.
    public var label: String { username ?? dn ?? externalID }
}

/// A group as one source describes it.
public struct SourceGroup: Sendable, Hashable, Codable {
    public var dn: String
    public var normalizedDN: String
    /// Value of the group's name attribute (`cn` by default), matched by `group_name`.
    public var name: String
    /// Normalised member DNs (users or groups), or usernames for `memberUid` groups.
    public var members: [String]
    /// The group's stable id (entryUUID, objectGUID), by which an incremental read names it;
    /// empty where the source has none (LDIF).
    public var externalID: String
    /// Active Directory: the group's `objectSid`, which users' primary group ids point at.
    public var securityID: String?

    public init(
        dn: String, normalizedDN: String, name: String, members: [String], externalID: String = "",
        securityID: String? = nil
    ) {
        self.dn = dn
        self.normalizedDN = normalizedDN
        self.name = name
        self.members = members
        self.externalID = externalID
        self.securityID = securityID
    }
}

/// Everything one source returned in one run, and whether it is known to be all of it.
public struct SourceSnapshot: Sendable {
    public var source: String
    public var users: [SourceUser]
    public var groups: [SourceGroup]
    /// True only when the read is proven complete; removals are decided from complete reads only.
    public var complete: Bool
    /// Why the read is incomplete (server, base, filter, the server's message).
    public var problem: String?
    /// Members are usernames (`memberUid`) rather than DNs.
    public var membersAreUsernames: Bool
    /// Compute membership through chains of groups.
    public var nestedGroups: Bool
    public var readSeconds: Double
    /// Said on every run without making the read incomplete (`tls.insecure_skip_verify`, a
    /// server of the url list skipped…).
    public var warnings: [String] = []
    /// External ids the source positively stopped vouching for, each with why (an OIDC issuer
    /// answering `invalid_grant`, claims older than `claims_max_age`): those users' grants from
    /// this source go, whatever `safety.on_missing` does with the users themselves.
    public var withdrawn: [String: String] = [:]
    /// Where the next incremental read of this source starts (a DirSync or RFC 4533 cookie and
    /// what identifies the server), taken before this read began; nil where the server offers none.
    public var cookie: String?
    /// Set when this snapshot is the cached one with an incremental read's changes merged in:
    /// what those changes were.
    public var incremental: SourceChanges?

    public init(
        source: String, users: [SourceUser], groups: [SourceGroup] = [], complete: Bool = true,
        problem: String? = nil, membersAreUsernames: Bool = false, nestedGroups: Bool = false,
        readSeconds: Double = 0
    ) {
        self.source = source
        self.users = users
        self.groups = groups
        self.complete = complete
        self.problem = problem
        self.membersAreUsernames = membersAreUsernames
        self.nestedGroups = nestedGroups
        self.readSeconds = readSeconds
    }

    /// A read that failed before returning anything usable.
    public static func failed(_ source: String, problem: String, readSeconds: Double = 0) -> SourceSnapshot {
        SourceSnapshot(source: source, users: [], complete: false, problem: problem, readSeconds: readSeconds)
    }
}

/// Turns a DN into the form used for comparison. The LDAP module implements it with libldap;
/// the core only consumes it, so it stays free of C.
public protocol DNNormalizing: Sendable {
    /// Throws when `dn` is not a valid DN.
    func normalize(_ dn: String) throws -> String
}

/// Reads one source in full. Implementations never throw for a server problem: they return an
/// incomplete snapshot naming it, so that the planner can freeze that source.
public protocol IdentitySource: Sendable {
    var name: String { get }
    func read() async -> SourceSnapshot
}

/// A source that can also read only what changed since a cookie its last read handed out
/// (`SourceSnapshot.cookie`).
public protocol IncrementalIdentitySource: IdentitySource {
    func readChanges(since cookie: String) async -> IncrementalRead
}

/// The outcome of an incremental read.
public enum IncrementalRead: Sendable {
    /// What changed, the cookie to start from next time, and the source's settings, warnings and
    /// timing as an entry-less snapshot for the cached entries to be merged into.
    case changes(SourceChanges, cookie: String, base: SourceSnapshot)
    /// The cookie cannot be used (refused, expired, or another or restored server): read in full.
    case refused(String)
    /// The read is incomplete: the source freezes, as for a failed full read.
    case failed(SourceSnapshot)
}

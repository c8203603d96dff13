/// The roles of the configuration with the live users holding each: `roster roles list|show`.
public struct RoleCatalog: Sendable {
    /// A user holding a role, with every grant of it (its project scope and origin).
    public struct Holder: Sendable {
        public var user: DirectoryUser
        public var grants: [(project: String, origin: AssignmentOrigin)]
    }

    public struct Entry: Sendable {
        public var name: String
        /// Nil for a role users still hold that the configuration no longer defines.
        public var definition: RoleDefinition?
        /// Sorted by email.
        public var holders: [Holder]
    }

    /// Defined roles in the order written, then undefined but held ones by name.
    public let entries: [Entry]

    public init(roles: [RoleDefinition], users: [DirectoryUser]) {
        var holders: [String: [Holder]] = [:]
        for user in users where user.status != .deleted {
            let grants = user.assignments.filter { $0.kind == .role }
            for name in Set(grants.map(\.name)) {
                let mine = grants.filter { $0.name == name }.map { (project: $0.detail, origin: $0.origin) }
                holders[name, default: []].append(Holder(user: user, grants: mine))
            }
        }
        func sorted(_ name: String) -> [Holder] {
            (holders[name] ?? []).sorted { EmailAddress.key($0.user.email) < EmailAddress.key($1.user.email) }
        }
        let defined = Set(roles.map(\.name))
        entries =
            roles.map { Entry(name: $0.name, definition: $0, holders: sorted($0.name)) }
            + holders.keys.filter { !defined.contains($0) }.sorted().map {
                Entry(name: $0, definition: nil, holders: sorted($0))
            }
    }

    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}

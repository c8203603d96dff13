/// Platform groups and projects as the directory holds them: not stored on their own, but as
/// the memberships (assignments) of users, effective role first (admin wins; owner > user >
/// read-only).
public struct MembershipCatalog: Sendable {
    /// One user's effective membership in one group or project, with every origin behind it.
    public struct Member: Sendable {
        public var user: DirectoryUser
        /// `member`/`admin` for groups, `owner`/`user`/`read-only` for projects.
        public var role: String
        /// Each origin with the role it gives, such as `admin by mapping:team-leads@corp`.
        public var grants: [(role: String, origin: AssignmentOrigin)]
    }

    /// A group or project with its members, best role first.
    public struct Entry: Sendable {
        public var name: String
        public var members: [Member]

        public func count(_ role: String) -> Int { members.filter { $0.role == role }.count }
    }

    public let kind: AssignmentKind
    /// Sorted by name.
    public let entries: [Entry]

    /// The groups (`kind` `.group`) or projects (`.project`) of the live users.
    public init(_ kind: AssignmentKind, users: [DirectoryUser]) {
        precondition(kind != .role, "roles are listed by RoleCatalog")
        self.kind = kind
        var byName: [String: [Member]] = [:]
        for user in users where user.status != .deleted {
            let effective: [(name: String, role: String)] =
                kind == .group
                ? user.assignments.effectiveGroups.map { ($0.name, $0.role.rawValue) }
                : user.assignments.effectiveProjects.map { ($0.name, $0.role.rawValue) }
            for (name, role) in effective {
                let grants = user.assignments.filter { $0.kind == kind && $0.name == name }
                    .map { (role: $0.detail, origin: $0.origin) }
                byName[name, default: []].append(Member(user: user, role: role, grants: grants))
            }
        }
        entries = byName.keys.sorted().map { name in
            let members = byName[name]!.sorted { lhs, rhs in
                let left = Self.rank(lhs.role, kind)
                let right = Self.rank(rhs.role, kind)
                if left != right { return left > right }
                return EmailAddress.key(lhs.user.email) < EmailAddress.key(rhs.user.email)
            }
            return Entry(name: name, members: members)
        }
    }

    /// The group or project called `name` (exactly, then case-insensitively), or nil.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name } ?? entries.first { LDAPText.equalIgnoringCase($0.name, name) }
    }

    /// The roles a member can have in this kind, best first.
    public var roles: [String] {
        kind == .group
            ? GroupRole.allCases.reversed().map(\.rawValue) : ProjectRole.allCases.reversed().map(\.rawValue)
    }

    private static func rank(_ role: String, _ kind: AssignmentKind) -> Int {
        if kind == .group { return role == GroupRole.admin.rawValue ? 1 : 0 }
        let order = ProjectRole.allCases.map(\.rawValue)
        return order.firstIndex(of: role) ?? 0
    }
}

/// One entry of `mappings:`: who it selects, and what they get.
public struct MappingRule: Sendable {
    public var id: String
    public var source: String
    /// Nil: the rule applies to every in-scope user of its source.
    public var selector: Selector?
    /// Matched users are out of scope.
    public var exclude: Bool
    public var type: UserType?
    public var roles: [String]
    public var groups: [GroupGrant]
    public var projects: [ProjectGrant]
    /// `PATH:LINE:COL` of the rule, for messages.
    public var location: String

    public enum Selector: Sendable {
        /// A group by DN, already normalised; `written` is the DN as the admin wrote it.
        case group(normalizedDN: String, written: String)
        /// Groups by name (`cn`), case-insensitive.
        case groupName(ValuePattern)
        /// A claim path (`a.b.c`); arrays are searched.
        case claim(path: String, value: ValuePattern)
        /// A user attribute, case-insensitive.
        case attribute(name: String, value: ValuePattern)
    }

    public init(
        id: String, source: String, selector: Selector? = nil, exclude: Bool = false, type: UserType? = nil,
        roles: [String] = [], groups: [GroupGrant] = [], projects: [ProjectGrant] = [], location: String = ""
    ) {
        self.id = id
        self.source = source
        self.selector = selector
        self.exclude = exclude
        self.type = type
        self.roles = roles
        self.groups = groups
        self.projects = projects
        self.location = location
    }

    /// Every `${…}` a grant of this rule uses, for checking them against the selector's captures.
    public var templates: [NameTemplate] {
        groups.map(\.name) + projects.map(\.name)
    }
}

public struct GroupGrant: Sendable {
    public var name: NameTemplate
    public var role: GroupRole

    public init(name: NameTemplate, role: GroupRole = .member) {
        self.name = name
        self.role = role
    }
}

public struct ProjectGrant: Sendable {
    public var name: NameTemplate
    public var role: ProjectRole

    public init(name: NameTemplate, role: ProjectRole) {
        self.name = name
        self.role = role
    }
}

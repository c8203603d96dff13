/// What a role allows on one entity: some of create/read/update/delete, or an explicit deny.
public enum Privilege: Sendable, Hashable, CustomStringConvertible {
    case allow(Set<Operation>)
    case deny

    public enum Operation: Character, Sendable, Hashable, CaseIterable, Comparable {
        case create = "c"
        case read = "r"
        case update = "u"
        case delete = "d"

        public static func < (lhs: Operation, rhs: Operation) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Parses `crud`, `r`, `ru`… or `deny`; nil for anything else.
    public init?(_ text: String) {
        if text == "deny" {
            self = .deny
            return
        }
        var operations = Set<Operation>()
        for character in text {
            guard let operation = Operation(rawValue: character), !operations.contains(operation) else { return nil }
            operations.insert(operation)
        }
        guard !operations.isEmpty else { return nil }
        self = .allow(operations)
    }

    public var description: String {
        switch self {
        case .deny: return "deny"
        case .allow(let operations): return String(operations.sorted().map(\.rawValue))
        }
    }
}

/// A platform role as defined in the configuration.
public struct RoleDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    /// Entity name → privilege, in the order written.
    public var privileges: [(entity: String, privilege: Privilege)]

    public init(name: String, description: String = "", privileges: [(entity: String, privilege: Privilege)] = []) {
        self.name = name
        self.description = description
        self.privileges = privileges
    }

    public static func == (lhs: RoleDefinition, rhs: RoleDefinition) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description
            && lhs.privileges.map(\.entity) == rhs.privileges.map(\.entity)
            && lhs.privileges.map(\.privilege) == rhs.privileges.map(\.privilege)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A user's effective privileges over all their roles: Deny > Allow > not granted.
public struct EffectivePrivileges: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var entity: String
        /// Allowed operations, empty when denied.
        public var operations: Set<Privilege.Operation>
        public var denied: Bool
        /// The roles that decided: the denying roles, or the roles that granted something.
        public var decidedBy: [String]
    }

    public var entries: [Entry]

    public init(roles: [RoleDefinition]) {
        var allowed: [String: Set<Privilege.Operation>] = [:]
        var grantors: [String: [String]] = [:]
        var deniers: [String: [String]] = [:]
        for role in roles {
            for (entity, privilege) in role.privileges {
                switch privilege {
                case .deny: deniers[entity, default: []].append(role.name)
                case .allow(let operations):
                    allowed[entity, default: []].formUnion(operations)
                    grantors[entity, default: []].append(role.name)
                }
            }
        }
        let entities = Set(allowed.keys).union(deniers.keys).sorted()
        entries = entities.map { entity in
            if let deniedBy = deniers[entity] {
                return Entry(entity: entity, operations: [], denied: true, decidedBy: deniedBy.sorted())
            }
            return Entry(
                entity: entity, operations: allowed[entity] ?? [], denied: false,
                decidedBy: (grantors[entity] ?? []).sorted())
        }
    }
}

/// What one user may do: the effective privileges of their roles (Deny > Allow > not granted),
/// platform-wide from their unscoped roles, and per project with the roles scoped to it added.
public struct UserPrivileges: Sendable {
    public struct Scope: Sendable {
        /// Nil for the platform-wide scope.
        public var project: String?
        /// The defined roles counted in this scope, sorted.
        public var roles: [String]
        public var effective: EffectivePrivileges
        /// For each denied entity, what the deny overrides: `analyst: r`.
        public var overridden: [String: [String]]
    }

    public var global: Scope
    /// One scope per project the user has a role in, by project name.
    public var projects: [Scope]
    /// Roles the user holds that the configuration no longer defines: they grant nothing.
    public var undefinedRoles: [String]

    public init(user: DirectoryUser, roles definitions: [RoleDefinition]) {
        let byName = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let held = user.assignments.filter { $0.kind == .role }
        undefinedRoles = Set(held.map(\.name).filter { byName[$0] == nil }).sorted()
        func scope(_ project: String?) -> Scope {
            let names = Set(held.filter { $0.detail.isEmpty || $0.detail == project }.map(\.name)).sorted()
            let roles = names.compactMap { byName[$0] }
            let effective = EffectivePrivileges(roles: roles)
            var overridden: [String: [String]] = [:]
            for entry in effective.entries where entry.denied {
                overridden[entry.entity] = roles.compactMap { role in
                    guard let privilege = role.privileges.first(where: { $0.entity == entry.entity })?.privilege,
                        case .allow = privilege
                    else { return nil }
                    return "\(role.name): \(privilege)"
                }
            }
            return Scope(project: project, roles: roles.map(\.name), effective: effective, overridden: overridden)
        }
        global = scope(nil)
        projects = Set(held.map(\.detail).filter { !$0.isEmpty }).sorted().map(scope)
    }
}

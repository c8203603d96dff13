import RosterCore

/// `roles:` and `defaults:`, and the check that every role named elsewhere is defined.
extension ConfigReader {
    /// The roles that decoded cleanly, and the names of all roles written (so that a role with a
    /// bad privilege is not also reported as unknown wherever it is used).
    func roles(_ field: Field?) -> (roles: [RoleDefinition], names: [String]) {
        var roles: [RoleDefinition] = []
        var names: [String] = []
        for entry in namedEntries(field, what: "a mapping of role names to {description, privileges}") {
            names.append(entry.key)
            let context = "roles.\(entry.key)"
            guard checkName(entry.key, at: entry.keyMark, what: "role name") else { continue }
            if entry.value.isNull {
                fail("\(context) is empty; give it privileges: {entity: crud}", at: entry.keyMark)
                continue
            }
            guard let fields = fields(entry.value, context: context, allowed: ["description", "privileges"]) else {
                continue
            }
            let description = string(fields["description"]) ?? ""
            if let role = privileges(fields["privileges"], name: entry.key, description: description) {
                roles.append(role)
            }
        }
        return (roles, names)
    }

    /// Parses `entity: crud | r | … | deny` pairs; nil when any is wrong.
    private func privileges(_ field: Field?, name: String, description: String) -> RoleDefinition? {
        var privileges: [(entity: String, privilege: Privilege)] = []
        var valid = true
        for entry in namedEntries(field, what: "a mapping of entity: letters, e.g. {users: crud, jobs: r}") {
            let field = Field(node: entry.value, name: "roles.\(name).privileges.\(entry.key)", keyMark: entry.keyMark)
            guard let text = string(field, what: "letters from crud, or deny") else {
                valid = false
                continue
            }
            guard let privilege = Privilege(text) else {
                fail(
                    "invalid privilege \"\(text)\" for \(field.name); write letters from c, r, u, d, each at most once"
                        + " (crud, r, ru…), or deny",
                    at: field.mark)
                valid = false
                continue
            }
            privileges.append((entry.key, privilege))
        }
        return valid ? RoleDefinition(name: name, description: description, privileges: privileges) : nil
    }

    func defaults(_ field: Field?, roleNames: [String]) -> DefaultGrants {
        guard let field, let fields = fields(field.node, context: field.name, allowed: ["type", "roles"]) else {
            return DefaultGrants()
        }
        return DefaultGrants(
            type: choice(fields["type"], UserType.self),
            roles: roleList(fields["roles"], roleNames: roleNames) ?? [])
    }

    /// A list of defined role names; each unknown one is reported at its own position.
    func roleList(_ field: Field?, roleNames: [String]) -> [String]? {
        guard let field, let names = stringList(field, what: "a list of role names", example: "[viewer]") else {
            return nil
        }
        let items = field.node.items ?? []
        var valid = true
        for (index, name) in names.enumerated() where !roleNames.contains(name) {
            valid = false
            let mark = index < items.count ? items[index].mark : field.mark
            var message = "unknown role \"\(name)\" in \(field.name)"
            if roleNames.isEmpty {
                message += "; no roles are defined: add it under roles:"
            } else {
                message += " (defined: \(roleNames.joined(separator: ", ")))"
                if let suggestion = Suggestion.closest(to: name, among: roleNames) {
                    message += "; did you mean \"\(suggestion)\"?"
                } else {
                    message += "; define it under roles: or use a defined one"
                }
            }
            fail(message, at: mark)
        }
        return valid ? names : nil
    }
}

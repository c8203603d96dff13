/// Effective privileges as `roster users show` and `roster roles show --user` print them.
public enum PrivilegeFormatter {
    /// `entity  access  decided by` rows, a deny naming the roles whose allows it overrides.
    public static func table(_ scope: UserPrivileges.Scope, indent: String = "  ") -> String {
        guard !scope.effective.entries.isEmpty else { return indent + "(none: no role grants anything)" }
        let rows = scope.effective.entries.map { entry -> [String] in
            var decided = entry.decidedBy.joined(separator: ", ")
            if entry.denied, let overridden = scope.overridden[entry.entity], !overridden.isEmpty {
                decided += "  (overrides \(overridden.joined(separator: ", ")))"
            }
            return [entry.entity, access(entry), decided]
        }
        return TextTable.render(header: ["entity", "access", "decided by"], rows: rows)
            .split(separator: "\n").map { indent + $0 }.joined(separator: "\n")
    }

    /// Platform-wide privileges, then each project's, as text lines.
    public static func lines(_ privileges: UserPrivileges) -> [String] {
        var lines = ["privileges (Deny > Allow; roles \(list(privileges.global.roles))):"]
        lines.append(table(privileges.global))
        for project in privileges.projects {
            lines.append("privileges in project \(project.project ?? "") (roles \(list(project.roles))):")
            lines.append(table(project))
        }
        if !privileges.undefinedRoles.isEmpty {
            lines.append(
                "not defined in the configuration, so granting nothing: \(privileges.undefinedRoles.joined(separator: ", "))"
            )
        }
        return lines
    }

    public static func json(_ privileges: UserPrivileges) -> JSONValue {
        var object = scopeJSON(privileges.global)
        object["projects"] = .array(privileges.projects.map { .object(scopeJSON($0)) })
        object["undefined_roles"] = .strings(privileges.undefinedRoles)
        return .object(object)
    }

    private static func scopeJSON(_ scope: UserPrivileges.Scope) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "roles": .strings(scope.roles),
            "entities": .array(
                scope.effective.entries.map { entry in
                    .object([
                        "entity": .string(entry.entity), "access": .string(access(entry)),
                        "denied": .bool(entry.denied), "decided_by": .strings(entry.decidedBy),
                        "overrides": .strings(scope.overridden[entry.entity] ?? []),
                    ])
                }),
        ]
        if let project = scope.project { object["project"] = .string(project) }
        return object
    }

    /// `crud`, `r`… or `deny`.
    public static func access(_ entry: EffectivePrivileges.Entry) -> String {
        entry.denied ? "deny" : String(entry.operations.sorted().map(\.rawValue))
    }

    private static func list(_ roles: [String]) -> String { roles.isEmpty ? "none" : roles.joined(separator: ", ") }
}

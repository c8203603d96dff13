/// `roster roles list` and `roster roles show`: text tables and JSON.
public enum RoleFormatter {
    public static func listTable(_ catalog: RoleCatalog) -> String {
        guard !catalog.entries.isEmpty else { return "no roles: define them under roles: in the configuration" }
        let rows = catalog.entries.map { entry -> [String] in
            [
                entry.name, String(entry.definition?.privileges.count ?? 0), String(entry.holders.count),
                entry.definition?.description ?? "(not defined in the configuration)",
            ]
        }
        return TextTable.render(header: ["role", "privileges", "users", "description"], rows: rows)
    }

    public static func listJSON(_ catalog: RoleCatalog) -> JSONValue {
        .object([
            "roles": .array(
                catalog.entries.map { entry in
                    .object([
                        "name": .string(entry.name), "description": .string(entry.definition?.description ?? ""),
                        "privileges": .int(Int64(entry.definition?.privileges.count ?? 0)),
                        "users": .int(Int64(entry.holders.count)), "defined": .bool(entry.definition != nil),
                    ])
                })
        ])
    }

    /// The role's privileges and holders; with `user`, that user's effective privileges too.
    public static func details(_ entry: RoleCatalog.Entry, user: (DirectoryUser, UserPrivileges)? = nil) -> String {
        var lines = ["role:        \(entry.name)"]
        if let definition = entry.definition {
            lines.append("description: \(definition.description.isEmpty ? "(none)" : definition.description)")
            lines.append("privileges:")
            if definition.privileges.isEmpty { lines.append("  (none)") }
            let privileges = definition.privileges.map { ["  " + $0.entity, $0.privilege.description] }
            if !privileges.isEmpty { lines.append(TextTable.render(header: ["  entity", "access"], rows: privileges)) }
        } else {
            lines.append("not defined in the configuration: it grants nothing until defined again under roles:")
        }
        lines.append("users (\(entry.holders.count)):")
        let rows = entry.holders.map { holder -> [String] in
            let grants = holder.grants.map { grant in
                grant.project.isEmpty ? grant.origin.description : "\(grant.origin) in project \(grant.project)"
            }
            return [
                "  " + UserReference.label(holder.user), holder.user.status.rawValue, grants.joined(separator: ", "),
            ]
        }
        if !rows.isEmpty { lines.append(TextTable.render(header: ["  user", "status", "from"], rows: rows)) }
        if let (user, privileges) = user {
            let holds = entry.holders.contains { $0.user.id == user.id }
            lines.append("")
            lines.append(
                "\(UserReference.label(user)) \(holds ? "holds" : "does not hold") \(entry.name); what all its roles give:"
            )
            lines += PrivilegeFormatter.lines(privileges)
        }
        return lines.joined(separator: "\n")
    }

    public static func detailsJSON(_ entry: RoleCatalog.Entry, user: (DirectoryUser, UserPrivileges)? = nil)
        -> JSONValue
    {
        var object: [String: JSONValue] = [
            "name": .string(entry.name), "defined": .bool(entry.definition != nil),
            "description": .string(entry.definition?.description ?? ""),
            "privileges": .array(
                (entry.definition?.privileges ?? []).map {
                    .object(["entity": .string($0.entity), "access": .string($0.privilege.description)])
                }),
            "users": .array(
                entry.holders.map { holder in
                    .object([
                        "id": .string(String(holder.user.id)), "email": .string(holder.user.email),
                        "grants": .array(
                            holder.grants.map {
                                .object(["project": .string($0.project), "origin": .string($0.origin.description)])
                            }),
                    ])
                }),
        ]
        if let (user, privileges) = user {
            object["user"] = .object([
                "id": .string(String(user.id)), "email": .string(user.email),
                "holds": .bool(entry.holders.contains { $0.user.id == user.id }),
                "effective": PrivilegeFormatter.json(privileges),
            ])
        }
        return .object(object)
    }
}

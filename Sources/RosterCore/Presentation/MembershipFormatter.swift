/// `roster groups list|show` and `roster projects list|show`: text tables and JSON.
public enum MembershipFormatter {
    private static func noun(_ catalog: MembershipCatalog) -> String {
        catalog.kind == .group ? "group" : "project"
    }

    public static func listTable(_ catalog: MembershipCatalog) -> String {
        guard !catalog.entries.isEmpty else {
            return "no \(noun(catalog))s yet: mappings create them on reconcile, or roster \(noun(catalog))s add"
        }
        let header: [String]
        let rows: [[String]]
        if catalog.kind == .group {
            header = ["group", "members", "admins"]
            rows = catalog.entries.map { [$0.name, String($0.members.count), String($0.count("admin"))] }
        } else {
            header = ["project", "owner", "members", "users", "read-only"]
            rows = catalog.entries.map { entry in
                let owner = entry.members.first { $0.role == ProjectRole.owner.rawValue }
                return [
                    entry.name, owner.map { UserReference.label($0.user) } ?? "(none)", String(entry.members.count),
                    String(entry.count("user")), String(entry.count("read-only")),
                ]
            }
        }
        return TextTable.render(header: header, rows: rows) + "\n\(catalog.entries.count) \(noun(catalog))s"
    }

    public static func listJSON(_ catalog: MembershipCatalog) -> JSONValue {
        .object([
            noun(catalog) + "s": .array(
                catalog.entries.map { entry in
                    var object: [String: JSONValue] = [
                        "name": .string(entry.name), "members": .int(Int64(entry.members.count)),
                    ]
                    // Members per role: {"admin": 1, "member": 7} or {"owner": 1, "user": 9, "read-only": 2}.
                    object["roles"] = .object(
                        Dictionary(uniqueKeysWithValues: catalog.roles.map { ($0, .int(Int64(entry.count($0)))) }))
                    if catalog.kind == .project {
                        object["owner"] = .optional(entry.members.first { $0.role == "owner" }?.user.email)
                    }
                    return .object(object)
                })
        ])
    }

    public static func details(_ entry: MembershipCatalog.Entry, kind: AssignmentKind) -> String {
        let what = kind == .group ? "group" : "project"
        var lines = ["\(what): \(entry.name)"]
        if kind == .project {
            let owner = entry.members.first { $0.role == ProjectRole.owner.rawValue }
            lines.append("owner:   \(owner.map { UserReference.label($0.user) } ?? "(none)")")
        }
        lines.append("members: \(entry.members.count)")
        lines.append("")
        let rows = entry.members.map { member -> [String] in
            [
                String(member.user.id), member.user.email, member.user.displayName, member.role,
                member.user.status.rawValue, member.grants.map { "\($0.role) by \($0.origin)" }.joined(separator: ", "),
            ]
        }
        lines.append(TextTable.render(header: ["id", "email", "name", "role", "status", "from"], rows: rows))
        return lines.joined(separator: "\n")
    }

    public static func detailsJSON(_ entry: MembershipCatalog.Entry, kind: AssignmentKind) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(entry.name),
            "members": .array(
                entry.members.map { member in
                    .object([
                        "id": .string(String(member.user.id)), "email": .string(member.user.email),
                        "username": .string(member.user.username), "name": .string(member.user.displayName),
                        "status": .string(member.user.status.rawValue), "role": .string(member.role),
                        "origins": .array(
                            member.grants.map {
                                .object(["role": .string($0.role), "origin": .string($0.origin.description)])
                            }),
                    ])
                }),
        ]
        if kind == .project {
            object["owner"] = .optional(entry.members.first { $0.role == ProjectRole.owner.rawValue }?.user.email)
        }
        return .object(object)
    }
}

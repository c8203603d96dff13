import Foundation

/// Users as `roster users list|show` print them: table, JSON (SPEC §5 shapes) and CSV (RFC 4180).
public enum UserFormatter {
    /// The scalar fields, in column order, shared by the table, JSON and CSV.
    public static let scalarFields = [
        "id", "username", "email", "first_name", "last_name", "type", "status", "origin", "last_login", "created_at",
    ]

    public static func scalars(_ user: DirectoryUser) -> [String: String?] {
        let deleted = user.status == .deleted
        return [
            "id": String(user.id),
            "username": user.username,
            "email": user.email,
            "first_name": deleted ? "Deleted User" : user.firstName,
            "last_name": deleted ? "" : user.lastName,
            "type": user.type.rawValue,
            "status": user.status.rawValue,
            "origin": user.origin,
            "last_login": user.lastLogin.map(Timestamp.string),
            "created_at": Timestamp.string(user.createdAt),
        ]
    }

    /// The USER object of SPEC §5.
    public static func json(_ user: DirectoryUser) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, value) in scalars(user) { object[key] = .optional(value) }
        object["roles"] = .strings(user.assignments.roleNames)
        object["groups"] = .array(
            user.assignments.effectiveGroups.map {
                .object(["name": .string($0.name), "role": .string($0.role.rawValue)])
            })
        object["projects"] = .array(
            user.assignments.effectiveProjects.map {
                .object(["name": .string($0.name), "role": .string($0.role.rawValue)])
            })
        object["assignments"] = .array(
            user.assignments.map { assignment in
                var item: [String: JSONValue] = [
                    "kind": .string(assignment.kind.rawValue), "name": .string(assignment.name),
                    "origin": .string(assignment.origin.description),
                ]
                if !assignment.detail.isEmpty {
                    item[assignment.kind == .role ? "project" : "role"] = .string(assignment.detail)
                }
                return .object(item)
            })
        object["identities"] = .array(
            user.identities.map {
                .object([
                    "source": .string($0.source), "external_id": .string($0.externalID), "dn": .optional($0.dn),
                ])
            })
        object["must_change_password"] = .bool(user.mustChangePassword)
        // Who holds an inactive user inactive: `admin` ones stay so whatever sync reads.
        object["deactivated_by"] = .optional(user.status == .inactive ? user.deactivatedBy?.rawValue : nil)
        object["updated_at"] = .string(Timestamp.string(user.updatedAt))
        return .object(object)
    }

    /// The USER object of `users show --format json`: `json(user)` plus effective privileges
    /// and the sessions `roster oidc login` recorded.
    public static func detailsJSON(
        _ user: DirectoryUser, roles: [RoleDefinition], sessions: [UserSession] = []
    ) -> JSONValue {
        guard case .object(var object) = json(user) else { return json(user) }
        object["privileges"] = PrivilegeFormatter.json(UserPrivileges(user: user, roles: roles))
        object["sessions"] = .array(sessions.map(sessionJSON))
        return .object(object)
    }

    public static func sessionJSON(_ session: UserSession) -> JSONValue {
        .object([
            "source": .string(session.source), "type": .string(session.kind.rawValue),
            "client": .string(session.client), "started_at": .string(Timestamp.string(session.startedAt)),
            "expires_at": .optional(session.expiresAt.map(Timestamp.string)),
            "duration_seconds": session.duration.map { .int(Int64($0.rounded())) } ?? .null,
        ])
    }

    /// `1d 2h`, `1h 5m`, `45m`, `30s`.
    public static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded()))
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60)
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 { parts.append("\(minutes)m") }
        return parts.isEmpty ? "\(total)s" : parts.joined(separator: " ")
    }

    public static func listJSON(_ result: UserListQuery.Result) -> JSONValue {
        .object([
            "total": .int(Int64(result.total)), "page": .int(Int64(result.page)),
            "per_page": .int(Int64(result.perPage)), "users": .array(result.users.map(json)),
        ])
    }

    public static func csv(_ users: [DirectoryUser]) -> String {
        var lines = [scalarFields.joined(separator: ",")]
        for user in users {
            let values = scalars(user)
            lines.append(scalarFields.map { csvField((values[$0] ?? nil) ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180: quote fields holding a comma, quote, CR or LF; double the quotes inside.
    public static func csvField(_ value: String) -> String {
        // A cell starting with = + - @ is a formula to spreadsheets: a quote mark keeps it text.
        if let first = value.first, "=+-@".contains(first) { return csvField("'" + value) }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func table(_ result: UserListQuery.Result, all: Bool) -> String {
        let columns = ["id", "email", "username", "name", "type", "status", "origin", "last_login"]
        let rows = result.users.map { user -> [String] in
            let values = scalars(user)
            return [
                String(user.id), user.email, user.username, user.displayName, user.type.rawValue,
                user.status.rawValue, user.origin, (values["last_login"] ?? nil) ?? "never",
            ]
        }
        var text = TextTable.render(header: columns, rows: rows)
        let footer: String
        if result.total == 0 {
            footer = "no users match"
        } else if result.users.isEmpty {
            footer = "page \(result.page) is past the end: \(grouped(result.total)) users, \(result.perPage) a page"
        } else if all {
            footer = "\(grouped(result.total)) users"
        } else {
            footer = "\(grouped(result.first))–\(grouped(result.last)) of \(grouped(result.total))"
        }
        text += "\n" + footer
        return text
    }

    /// Every field, grant and origin of one user; with the configuration's `roles`, the effective
    /// privileges too.
    public static func details(
        _ user: DirectoryUser, roles: [RoleDefinition]? = nil, sessions: [UserSession] = []
    ) -> String {
        var lines: [String] = []
        let values = scalars(user)
        lines.append("id:          \(user.id)")
        lines.append("name:        \(user.displayName)")
        for field in ["username", "email", "first_name", "last_name", "type", "status", "origin"] {
            lines.append(
                "\(field + ":")".padding(toLength: 13, withPad: " ", startingAt: 0) + ((values[field] ?? nil) ?? ""))
        }
        lines.append("last_login:  \((values["last_login"] ?? nil) ?? "never")")
        lines.append("created_at:  \(Timestamp.string(user.createdAt))")
        lines.append("updated_at:  \(Timestamp.string(user.updatedAt))")
        if user.mustChangePassword { lines.append("must change password at next login") }
        if user.status == .inactive, let by = user.deactivatedBy {
            lines.append(
                "deactivated: by \(by.rawValue)" + (user.deactivatedAt.map { " at \(Timestamp.string($0))" } ?? ""))
        }
        for identity in user.identities {
            lines.append(
                "identity:    \(identity.source) \(identity.externalID)" + (identity.dn.map { " \($0)" } ?? ""))
        }
        lines.append("roles:")
        for assignment in user.assignments where assignment.kind == .role {
            let scope = assignment.detail.isEmpty ? "" : " in project \(assignment.detail)"
            lines.append("  \(assignment.name)\(scope)  (\(assignment.origin))")
        }
        lines.append("groups:")
        for group in user.assignments.effectiveGroups {
            let origins = user.assignments.filter { $0.kind == .group && $0.name == group.name }.map(
                \.origin.description)
            lines.append("  \(group.name) as \(group.role.rawValue)  (\(origins.joined(separator: ", ")))")
        }
        lines.append("projects:")
        for project in user.assignments.effectiveProjects {
            let origins = user.assignments.filter { $0.kind == .project && $0.name == project.name }.map(
                \.origin.description)
            lines.append("  \(project.name) as \(project.role.rawValue)  (\(origins.joined(separator: ", ")))")
        }
        if let roles { lines += PrivilegeFormatter.lines(UserPrivileges(user: user, roles: roles)) }
        // Sessions are recorded by `roster oidc login`; saying there are none beats leaving the
        // section out.
        if sessions.isEmpty {
            lines.append("sessions:    none recorded")
        } else {
            lines.append("sessions:")
            for session in sessions {
                let until = session.duration.map { " for \(duration($0))" } ?? ""
                lines.append(
                    "  \(Timestamp.string(session.startedAt))  \(session.kind.rawValue) via \(session.client)"
                        + " (\(session.source))\(until)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// 1234 → "1,234".
    public static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { output.append(",") }
            output.append(character)
        }
        return output
    }
}

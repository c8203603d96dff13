/// Renders a plan as `roster reconcile` prints it (SPEC §5), in text or JSON.
public enum PlanFormatter {
    public static func text(_ plan: Plan, sources: [SourceReadSummary]) -> String {
        // Built into one string as it goes: a first sync's plan has a line per user, and an array
        // of its lines (then joined) held the text twice at the end of the run.
        var text = ""
        func add(_ line: String) {
            if !text.isEmpty { text += "\n" }
            text += line
        }
        for source in sources { add(source.line) }
        // Each column is as wide as its widest entry, up to a limit; once one entry reaches the
        // limit, the rest need not be measured.
        var emailWidth = 0
        for index in plan.changes.indices where emailWidth < maxEmailWidth {
            emailWidth = max(emailWidth, DisplayText.characterCount(plan.changes[index].email))
        }
        emailWidth = min(emailWidth, maxEmailWidth)
        // The details are made twice, once for the widest (which sets the column) and once for
        // the line: kept between the two, a first sync's would sit next to its whole text (at a
        // million users, 100 MB more at the run's peak, as the text is rendered during the apply).
        var detailWidth = 0
        for change in plan.changes where detailWidth < maxDetailWidth {
            detailWidth = max(detailWidth, DisplayText.characterCount(details(change)))
        }
        detailWidth = min(detailWidth, maxDetailWidth)
        text.reserveCapacity(plan.changes.count * (emailWidth + detailWidth + 32))
        for change in plan.changes {
            let detail = details(change)
            let head =
                "\(symbol(change.action)) \(DisplayText.padded(change.action.rawValue, toLength: 11)) "
                + DisplayText.padded(change.email, toLength: max(emailWidth, DisplayText.characterCount(change.email)))
            let rules = change.mappings.filter { $0 != "defaults" }
            if !rules.isEmpty, change.action != .deactivate, change.action != .delete {
                add(
                    head + "  "
                        + DisplayText.padded(detail, toLength: max(detailWidth, DisplayText.characterCount(detail)))
                        + "  (" + rules.joined(separator: ", ") + ")")
            } else {
                add(head + "  " + detail)
            }
        }
        for skipped in plan.skipped {
            add("! skip        \(skipped.source) \(skipped.entry): \(skipped.reason)")
        }
        for frozen in plan.frozenSources {
            add("! frozen      \(frozen.source): \(frozen.problem); nothing from it was removed")
        }
        for warning in plan.warnings { add("! warning     \(warning)") }
        if let breach = plan.safetyBreach { add("! aborted     \(breach)") }
        add(plan.summaryLine)
        return text
    }

    public static func json(_ plan: Plan, sources: [SourceReadSummary], extra: [String: JSONValue] = [:]) -> JSONValue {
        var document: [String: JSONValue] = [
            "sources": .array(sources.map(\.json)),
            "changes": .array(plan.changes.map(changeJSON)),
            "skipped": .array(
                plan.skipped.map {
                    .object(["source": .string($0.source), "entry": .string($0.entry), "reason": .string($0.reason)])
                }),
            "frozen": .array(
                plan.frozenSources.map { .object(["source": .string($0.source), "problem": .string($0.problem)]) }),
            "warnings": .strings(plan.warnings),
            "summary": .object([
                "created": .int(Int64(plan.count(.create))),
                "updated": .int(Int64(plan.count(.update) + plan.count(.rename))),
                "deactivated": .int(Int64(plan.count(.deactivate))),
                "reactivated": .int(Int64(plan.count(.reactivate))),
                "deleted": .int(Int64(plan.count(.delete))),
            ]),
            "safety_breach": plan.safetyBreach.map { .string($0.description) } ?? .null,
        ]
        document.merge(extra) { $1 }
        return .object(document)
    }

    static func changeJSON(_ change: UserChange) -> JSONValue {
        var changes = AuditEventBuilder.fieldChanges(from: change.before, to: change.after)
        changes.merge(
            AuditEventBuilder.assignmentSummary(
                added: Array(Set(change.after.assignments).subtracting(change.before?.assignments ?? [])),
                removed: Array(Set(change.before?.assignments ?? []).subtracting(change.after.assignments)))
        ) { $1 }
        return .object([
            "action": .string(change.action.rawValue),
            "user": .object([
                "id": change.action == .create ? .null : .string(String(change.after.id)),
                "email": .string(change.email), "username": .string(change.after.username),
            ]),
            "changes": .object(changes),
            "source": .optional(change.source),
            "mappings": .strings(change.mappings),
            "chains": .strings(change.chains),
            "note": .optional(change.note),
        ])
    }

    /// The widest the email and details columns grow; longer entries overflow them.
    static let maxEmailWidth = 40
    static let maxDetailWidth = 70

    private static func symbol(_ action: UserChange.Action) -> String {
        switch action {
        case .create, .reactivate: return "+"
        case .update, .rename: return "~"
        case .deactivate, .delete: return "-"
        }
    }

    /// The middle column: what the user gets, or what changes, or why they go.
    static func details(_ change: UserChange) -> String {
        let after = change.after
        switch change.action {
        case .create:
            var parts = [
                "type=\(after.type.rawValue)", "roles=[\(after.assignments.roleNames.joined(separator: ","))]",
            ]
            let groups = after.assignments.effectiveGroups.map(groupLabel)
            if !groups.isEmpty { parts.append("groups=[\(groups.joined(separator: ","))]") }
            let projects = after.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" }
            if !projects.isEmpty { parts.append("projects=[\(projects.joined(separator: ","))]") }
            if after.status != .active { parts.append("status=\(after.status.rawValue)") }
            return parts.joined(separator: " ")
        case .deactivate, .delete:
            return change.note ?? ""
        case .update, .rename, .reactivate:
            guard let before = change.before else { return "" }
            var parts: [String] = []
            for (name, old, new) in [
                ("username", before.username, after.username), ("email", before.email, after.email),
                ("first", before.firstName, after.firstName), ("last", before.lastName, after.lastName),
                ("type", before.type.rawValue, after.type.rawValue),
            ] where old != new {
                parts.append("\(name) \(old)→\(new)")
            }
            for identity in after.identities {
                if let old = before.identity(in: identity.source), old.dn != identity.dn, let dn = identity.dn {
                    parts.append("dn→\(dn)")
                }
            }
            parts += diff("roles", before.assignments.roleNames, after.assignments.roleNames)
            parts += diff(
                "groups", before.assignments.effectiveGroups.map(groupLabel),
                after.assignments.effectiveGroups.map(groupLabel))
            parts += diff(
                "projects", before.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" },
                after.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" })
            if parts.isEmpty, before.assignments != after.assignments {
                parts.append("grant origins changed")
            }
            if let note = change.note { parts.append("(\(note))") }
            return parts.joined(separator: " ")
        }
    }

    private static func groupLabel(_ group: (name: String, role: GroupRole)) -> String {
        group.role == .admin ? "\(group.name)(admin)" : group.name
    }

    private static func diff(_ label: String, _ old: [String], _ new: [String]) -> [String] {
        let added = new.filter { !old.contains($0) }.map { "+" + $0 }
        let removed = old.filter { !new.contains($0) }.map { "-" + $0 }
        guard !(added.isEmpty && removed.isEmpty) else { return [] }
        return ["\(label) " + (added + removed).joined(separator: " ")]
    }
}

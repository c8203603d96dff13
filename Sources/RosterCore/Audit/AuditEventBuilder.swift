/// The audit records that explain one change (SPEC §6).
///
/// A creation is one `user.create` carrying everything the user got. Any other change is one
/// record for the user itself (`user.update`, `user.rename`, `user.deactivate`, …) when its fields
/// or status changed, plus one record per assignment granted or taken away, with its origin.
public enum AuditEventBuilder {
    public static func events(for change: UserChange, actor: String) -> [AuditEvent] {
        let after = change.after
        let before = change.before
        let reason = reasonJSON(change)
        let userID: Int64 = change.action == .create ? 0 : after.id
        let email = change.email
        func event(_ action: String, _ changes: JSONValue?) -> AuditEvent {
            AuditEvent(action: action, actor: actor, userID: userID, email: email, changes: changes, reason: reason)
        }

        if change.action == .create {
            var changes = fieldChanges(from: nil, to: after)
            changes.merge(assignmentSummary(added: after.assignments, removed: [])) { $1 }
            return [event("user.create", .object(changes))]
        }
        guard let before else { return [] }
        var events: [AuditEvent] = []
        var fields = fieldChanges(from: before, to: after)
        if change.action == .delete {
            // A tombstone loses every grant: the record says which.
            fields.merge(assignmentSummary(added: [], removed: before.assignments)) { $1 }
        }
        let userAction: String?
        switch change.action {
        case .delete: userAction = "user.delete"
        case .deactivate: userAction = "user.deactivate"
        case .reactivate: userAction = "user.reactivate"
        case .rename: userAction = "user.rename"
        case .update, .create: userAction = fields.isEmpty ? nil : "user.update"
        }
        if let userAction { events.append(event(userAction, fields.isEmpty ? nil : .object(fields))) }
        if change.action == .delete { return events }

        let added = change.grantedAssignments
        let removed = Array(Set(before.assignments).subtracting(after.assignments)).sortedByKey()
        for assignment in removed {
            // A role change of a group or project member is one `group.role` / `project.set`.
            if added.contains(where: {
                $0.kind == assignment.kind && $0.name == assignment.name && $0.origin == assignment.origin
                    && $0.kind != .role
            }) {
                continue
            }
            events.append(event(removalAction(assignment.kind), assignmentJSON(assignment, previous: nil)))
        }
        for assignment in added {
            let previous = removed.first {
                $0.kind == assignment.kind && $0.name == assignment.name && $0.origin == assignment.origin
                    && $0.kind != .role
            }
            let action: String
            switch assignment.kind {
            case .role: action = "role.grant"
            case .group: action = previous == nil ? "group.join" : "group.role"
            case .project: action = "project.set"
            }
            events.append(event(action, assignmentJSON(assignment, previous: previous)))
        }
        return events
    }

    /// `reason` of a record: the deciding source, mappings, chains and note.
    /// (`writtenReason` writes the same bytes without building the value.)
    static func reasonJSON(_ change: UserChange) -> JSONValue? {
        var reason: [String: JSONValue] = [:]
        if let source = change.source { reason["source"] = .string(source) }
        if !change.mappings.isEmpty { reason["mappings"] = .strings(change.mappings) }
        let chains = change.chains  // (worked out on each read)
        if !chains.isEmpty { reason["chains"] = .strings(chains) }
        if let note = change.note { reason["note"] = .string(note) }
        return reason.isEmpty ? nil : .object(reason)
    }

    /// `{"field": [old, new]}` for every user field that differs.
    /// (`writtenCreation` writes a creation's without building the values.)
    public static func fieldChanges(from before: DirectoryUser?, to after: DirectoryUser) -> [String: JSONValue] {
        // Room for every field and the grant summaries a creation adds: no rehash as it grows.
        var changes: [String: JSONValue] = [:]
        changes.reserveCapacity(10)
        func compare(_ key: String, _ old: String?, _ new: String?) {
            if old != new { changes[key] = .array([.optional(old), .optional(new)]) }
        }
        compare("username", before?.username, after.username)
        compare("email", before?.email, after.email)
        compare("first_name", before?.firstName, after.firstName)
        compare("last_name", before?.lastName, after.lastName)
        compare("type", before?.type.rawValue, after.type.rawValue)
        compare("status", before?.status.rawValue, after.status.rawValue)
        let oldDNs = identityLabels(before?.identities ?? [])
        let newDNs = identityLabels(after.identities)
        if oldDNs != newDNs { changes["identities"] = .array([.strings(oldDNs), .strings(newDNs)]) }
        return changes
    }

    /// `source:dn` (or `source:external id`) of each identity, sorted.
    static func identityLabels(_ identities: [ExternalIdentity]) -> [String] {
        identities.map { "\($0.source):\($0.dn ?? $0.externalID)" }.sorted()
    }

    /// `{"roles": {"added": […], "removed": […]}, "groups": …, "projects": …}` on effective names.
    static func assignmentSummary(added: [Assignment], removed: [Assignment]) -> [String: JSONValue] {
        var summary: [String: JSONValue] = [:]
        for kind in AssignmentKind.allCases {
            let plus = sortedLabels(of: kind, in: added)
            let minus = sortedLabels(of: kind, in: removed)
            if !plus.isEmpty || !minus.isEmpty {
                summary[kind.rawValue + "s"] = .object(["added": .strings(plus), "removed": .strings(minus)])
            }
        }
        return summary
    }

    /// The labels of `assignments` of `kind`, sorted, each once.
    static func sortedLabels(of kind: AssignmentKind, in assignments: [Assignment]) -> [String] {
        var labels: [String] = []
        for assignment in assignments where assignment.kind == kind { labels.append(label(assignment)) }
        return labels.sortedUnique()
    }

    private static func label(_ assignment: Assignment) -> String {
        switch assignment.kind {
        case .role: return assignment.detail.isEmpty ? assignment.name : "\(assignment.name)@\(assignment.detail)"
        case .group, .project: return "\(assignment.name):\(assignment.detail)"
        }
    }

    private static func removalAction(_ kind: AssignmentKind) -> String {
        switch kind {
        case .role: return "role.revoke"
        case .group: return "group.leave"
        case .project: return "project.remove"
        }
    }

    private static func assignmentJSON(_ assignment: Assignment, previous: Assignment?) -> JSONValue {
        var object: [String: JSONValue] = ["origin": .string(assignment.origin.description)]
        switch assignment.kind {
        case .role:
            object["role"] = .string(assignment.name)
            if !assignment.detail.isEmpty { object["project"] = .string(assignment.detail) }
        case .group:
            object["group"] = .string(assignment.name)
            object["group_role"] =
                previous.map { .array([.string($0.detail), .string(assignment.detail)]) }
                ?? .string(assignment.detail)
        case .project:
            object["project"] = .string(assignment.name)
            object["project_role"] =
                previous.map { .array([.string($0.detail), .string(assignment.detail)]) }
                ?? .string(assignment.detail)
        }
        return .object(object)
    }
}

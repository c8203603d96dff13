/// Renders a plan as `roster reconcile` prints it (SPEC §5), in text or JSON.
public enum PlanFormatter {
    public static func json(_ plan: Plan, sources: [SourceReadSummary], extra: [String: JSONValue] = [:]) -> JSONValue {
        let counts = plan.actionCounts
        func count(_ action: UserChange.Action) -> Int64 { Int64(counts[action] ?? 0) }
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
                "created": .int(count(.create)),
                "updated": .int(count(.update) + count(.rename)),
                "deactivated": .int(count(.deactivate)),
                "reactivated": .int(count(.reactivate)),
                "deleted": .int(count(.delete)),
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
}

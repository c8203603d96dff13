/// The audit records of an admin's changes (SPEC §6): those of `AuditEventBuilder`, with what
/// only admins change (who holds a deactivation) and the password records, which never carry
/// the hash.
public enum AdminAudit {
    /// The records of `change` made by `actor` (`cli:<unix user>`).
    public static func events(for change: UserChange, actor: String) -> [AuditEvent] {
        var events = AuditEventBuilder.events(for: change, actor: actor)
        guard let before = change.before, before.deactivatedBy != change.after.deactivatedBy,
            change.action == .deactivate || change.action == .reactivate,
            let index = events.firstIndex(where: { $0.action.hasPrefix("user.") })
        else { return events }
        // Taking over a sync deactivation changes no listed field, yet decides whether sync may
        // reactivate the user: the record says so.
        var changes: [String: JSONValue] = [:]
        if case .object(let existing)? = events[index].changes { changes = existing }
        changes["deactivated_by"] = .array([
            .optional(before.deactivatedBy?.rawValue), .optional(change.after.deactivatedBy?.rawValue),
        ])
        events[index].changes = .object(changes)
        return events
    }

    /// `user.password` for a password set or reset on `user`; `userID` 0 stands for a user
    /// created in the same batch.
    public static func passwordEvent(
        for user: DirectoryUser, actor: String, temporary: Bool, note: String, userID: Int64? = nil
    ) -> AuditEvent {
        AuditEvent(
            action: "user.password", actor: actor, userID: userID ?? user.id, email: user.email,
            changes: .object(["password": .string("set"), "must_change_password": .bool(temporary)]),
            reason: .object(["note": .string(note)]))
    }
}

/// `roster users activate|deactivate|delete USER...`: many users at once, all or nothing.
extension DirectoryAdmin {
    /// Activates inactive users, clearing an admin's suspension (the only way to end one).
    public func activate(_ references: [String]) throws -> AdminOutcome {
        var outcome = AdminOutcome()
        for user in try UserReference.findAll(references, in: users) {
            let name = UserReference.label(user)
            switch user.status {
            case .deleted:
                throw AdminError.refused(
                    "user \(user.id) is deleted and cannot be activated: nothing was changed; create a new account instead"
                )
            case .active:
                outcome.messages.append("\(name) is already active")
            case .inactive:
                var after = user
                after.status = .active
                after.deactivatedAt = nil
                after.deactivatedBy = nil
                outcome.changes.append(change(.reactivate, user, after, note: "activated by an admin"))
                var message = "activated \(name)"
                if user.deactivatedBy == .sync {
                    message +=
                        " (sync had deactivated it: if its sources still disable it or no mapping selects it, "
                        + "the next reconcile deactivates it again)"
                }
                outcome.messages.append(message)
            }
        }
        return outcome
    }

    /// Deactivates users by an admin: sync never reactivates them (SPEC §4.4). An inactive user
    /// that sync deactivated is taken over, so that it stays inactive when its source returns.
    public func deactivate(_ references: [String]) throws -> AdminOutcome {
        var outcome = AdminOutcome()
        for user in try UserReference.findAll(references, in: users) {
            let name = UserReference.label(user)
            switch (user.status, user.deactivatedBy) {
            case (.deleted, _):
                throw AdminError.refused("user \(user.id) is deleted and cannot be deactivated: nothing was changed")
            case (.inactive, .admin?):
                outcome.messages.append("\(name) is already inactive (deactivated by an admin)")
            case (.inactive, _):
                var after = user
                after.deactivatedBy = .admin
                after.deactivatedAt = user.deactivatedAt ?? now
                outcome.changes.append(change(.deactivate, user, after, note: "held inactive by an admin"))
                outcome.messages.append("\(name) was inactive (by sync); it now stays inactive until activated")
            case (.active, _):
                var after = user
                after.status = .inactive
                after.deactivatedAt = now
                after.deactivatedBy = .admin
                outcome.changes.append(change(.deactivate, user, after, note: "deactivated by an admin"))
                outcome.messages.append("deactivated \(name)")
            }
        }
        return outcome
    }

    /// Turns users into tombstones: their email and username are freed, their grants and
    /// identities go, their id stays and is never reused.
    public func delete(_ references: [String]) throws -> AdminOutcome {
        var outcome = AdminOutcome()
        for user in try UserReference.findAll(references, in: users) {
            guard user.status != .deleted else {
                outcome.messages.append("user \(user.id) is already deleted")
                continue
            }
            let name = UserReference.label(user)
            outcome.changes.append(
                change(.delete, user, user.tombstone(at: now, by: .admin), note: "deleted by an admin"))
            var message = "deleted \(name) (user \(user.id))"
            let sources = user.identities.map(\.source).filter { configuration.source(named: $0) != nil }
            if !sources.isEmpty {
                message +=
                    "; it was synced from \(sources.joined(separator: ", ")): while a mapping selects it "
                    + "there, the next reconcile creates a new account (deactivate to keep a person out)"
            }
            outcome.messages.append(message)
        }
        return outcome
    }
}

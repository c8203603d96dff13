/// `roster groups add|remove` and `roster projects add|remove`: manual memberships.
extension DirectoryAdmin {
    /// Makes `reference` a member of platform group `group` with `role`, by hand.
    public func setGroupRole(_ group: String, for reference: String, role: GroupRole) throws -> AdminOutcome {
        try setMembership(.group, name: group, for: reference, role: role.rawValue).outcome
    }

    /// Makes `reference` a member of `project` with `role`, by hand. A project has one owner: a
    /// new owner demotes every other owner of the project to `user` in the same transaction,
    /// whatever gave them ownership (the planner keeps a manual owner over mapped ones).
    public func setProjectRole(_ project: String, for reference: String, role: ProjectRole) throws -> AdminOutcome {
        var (outcome, name) = try setMembership(.project, name: project, for: reference, role: role.rawValue)
        guard role == .owner, let newOwner = outcome.changes.first?.after else { return outcome }
        let owner = ProjectRole.owner.rawValue
        for other in users where other.id != newOwner.id && other.status != .deleted {
            guard other.assignments.contains(where: { $0.kind == .project && $0.name == name && $0.detail == owner })
            else { continue }
            var after = other
            after.assignments = other.assignments.map { assignment in
                guard assignment.kind == .project, assignment.name == name, assignment.detail == owner else {
                    return assignment
                }
                var demoted = assignment
                demoted.detail = ProjectRole.user.rawValue
                return demoted
            }
            // A user owning through two origins may now hold the same `user` fact twice.
            var seen = Set<Assignment>()
            after.assignments = after.assignments.filter { seen.insert($0).inserted }
            let note = "\(UserReference.label(newOwner)) became owner of project \(name)"
            outcome.changes.append(change(.update, other, after, note: note))
            outcome.messages.append("\(UserReference.label(other)) was owner of project \(name) and is now a user")
        }
        return outcome
    }

    /// Removes a manual group membership; one a mapping gives is refused naming the mapping.
    public func removeFromGroup(_ group: String, _ reference: String) throws -> AdminOutcome {
        try removeMembership(.group, name: group, for: reference)
    }

    /// Removes a manual project membership; one a mapping gives is refused naming the mapping.
    public func removeFromProject(_ project: String, _ reference: String) throws -> AdminOutcome {
        try removeMembership(.project, name: project, for: reference)
    }

    // MARK: - Shared

    private func setMembership(_ kind: AssignmentKind, name: String, for reference: String, role: String) throws
        -> (outcome: AdminOutcome, name: String)
    {
        let what = kind == .group ? "group" : "project"
        let name = try Self.checkedText(name, field: "\(what) name", allowEmpty: false)
        let before = try user(reference)
        try requireEditable(before)
        let label = UserReference.label(before)
        let current = before.assignments.filter { $0.kind == kind && $0.name == name }
        if current.contains(where: { $0.origin == .manual && $0.detail == role }) {
            return (AdminOutcome(messages: ["\(label) is already \(role) of \(what) \(name) (manual)"]), name)
        }
        var after = before
        after.assignments.removeAll { $0.kind == kind && $0.name == name && $0.origin == .manual }
        after.assignments.append(Assignment(kind: kind, name: name, detail: role, origin: .manual))
        var message = "\(label) is now \(role) of \(what) \(name)"
        let mapped = current.filter { $0.origin != .manual }
        if !mapped.isEmpty {
            let given = mapped.map { "\($0.detail) by \($0.origin)" }.joined(separator: ", ")
            message += " (also \(given); the higher role counts)"
        }
        return (AdminOutcome(changes: [change(.update, before, after)], messages: [message]), name)
    }

    private func removeMembership(_ kind: AssignmentKind, name: String, for reference: String) throws
        -> AdminOutcome
    {
        let what = kind == .group ? "group" : "project"
        let before = try user(reference)
        try requireEditable(before, allowInactive: true)
        let label = UserReference.label(before)
        let current = before.assignments.filter { $0.kind == kind && $0.name == name }
        let mapped = current.filter { $0.origin != .manual }.map(\.origin.description)
        guard current.contains(where: { $0.origin == .manual }) else {
            if !mapped.isEmpty {
                throw AdminError.refused(
                    "the membership of \(label) in \(what) \(name) comes from \(mapped.joined(separator: ", ")), not "
                        + "from an admin: sync owns it; change the mapping or the user's groups in the source")
            }
            throw AdminError.refused("\(label) is not a member of \(what) \(name); see roster \(what)s show \(name)")
        }
        var after = before
        after.assignments.removeAll { $0.kind == kind && $0.name == name && $0.origin == .manual }
        var message = "removed \(label) from \(what) \(name)"
        if !mapped.isEmpty { message += "; it stays a member through \(mapped.joined(separator: ", "))" }
        return AdminOutcome(changes: [change(.update, before, after)], messages: [message])
    }
}

/// `roster users grant|revoke USER ROLE [--project P]`: manual role assignments only.
extension DirectoryAdmin {
    /// Grants `role` by hand (origin `manual`), which sync never takes away. A role a mapping
    /// already gives is granted manually too, so that it stays when the mapping stops matching.
    public func grant(_ role: String, to reference: String, project: String? = nil) throws -> AdminOutcome {
        guard configuration.role(named: role) != nil else { throw unknownRole(role) }
        let before = try user(reference)
        try requireEditable(before)
        let scope = try project.map { try Self.checkedText($0, field: "project", allowEmpty: false) } ?? ""
        if !scope.isEmpty {
            // A typo must not make a grant in a project nobody can see: the project must exist
            // (have a member, by mapping or by hand).
            let known = Set(users.flatMap { $0.assignments.filter { $0.kind == .project }.map(\.name) })
            guard known.contains(scope) else {
                let list = known.isEmpty ? "there are none yet" : "known: " + known.sorted().joined(separator: ", ")
                throw AdminError.invalidInput(
                    "no project \"\(scope)\" (\(list)); add a member first with roster projects add \(scope) USER")
            }
        }
        let name = UserReference.label(before)
        let label = scope.isEmpty ? "role \(role)" : "role \(role) in project \(scope)"
        let held = before.assignments.filter { $0.kind == .role && $0.name == role && $0.detail == scope }
        if held.contains(where: { $0.origin == .manual }) {
            return AdminOutcome(messages: ["\(name) already has \(label) (manual)"])
        }
        var after = before
        after.assignments.append(.role(role, project: scope, origin: .manual))
        var message = "granted \(label) to \(name)"
        if !held.isEmpty {
            message += " (also given by \(held.map(\.origin.description).joined(separator: ", ")))"
        }
        return AdminOutcome(changes: [change(.update, before, after)], messages: [message])
    }

    /// Revokes a manual grant. A grant a mapping gives is refused naming the mapping: sync owns
    /// it, and would give it back. Allowed on inactive users: taking a privilege away is safe.
    public func revoke(_ role: String, from reference: String, project: String? = nil) throws -> AdminOutcome {
        let before = try user(reference)
        try requireEditable(before, allowInactive: true)
        let scope = project?.trimmingCharacters(in: .whitespaces) ?? ""
        let name = UserReference.label(before)
        let label = scope.isEmpty ? "role \(role)" : "role \(role) in project \(scope)"
        let held = before.assignments.filter { $0.kind == .role && $0.name == role && $0.detail == scope }
        let mapped = held.filter { $0.origin != .manual }.map(\.origin.description)
        guard held.contains(where: { $0.origin == .manual }) else {
            if !mapped.isEmpty {
                throw AdminError.refused(
                    "\(label) of \(name) comes from \(mapped.joined(separator: ", ")), not from an admin: sync owns it; "
                        + "change the mapping or the user's groups in the source")
            }
            if configuration.role(named: role) == nil { throw unknownRole(role) }
            throw AdminError.refused("\(name) does not have \(label); see roster users show \(name)")
        }
        var after = before
        after.assignments.removeAll {
            $0.kind == .role && $0.name == role && $0.detail == scope && $0.origin == .manual
        }
        var message = "revoked \(label) from \(name)"
        if !mapped.isEmpty { message += "; it still has it through \(mapped.joined(separator: ", "))" }
        return AdminOutcome(changes: [change(.update, before, after)], messages: [message])
    }

    private func unknownRole(_ role: String) -> AdminError {
        let defined = configuration.roles.map(\.name)
        if defined.isEmpty {
            return .invalidInput(
                "unknown role \"\(role)\": \(configuration.path) defines no roles; add it under roles:")
        }
        return .invalidInput(
            "unknown role \"\(role)\"; the roles defined in \(configuration.path) are \(defined.joined(separator: ", "))"
        )
    }
}

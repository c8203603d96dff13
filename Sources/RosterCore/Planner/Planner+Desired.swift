/// Step 3 of SPEC §4: the state each identified person should be in.
extension Planner {
    /// - Parameters:
    ///   - position: where `person` is among the run's persons (`claims` names people by it).
    ///   - claims: usernames given out earlier in this run: two new people cannot both get one.
    func desiredState(
        of person: Person, at position: Int, liveSources: Set<String>, claims: inout UsernameClaims,
        plan: inout Plan
    ) -> Candidate? {
        let before = person.existing.map { directory[$0] }
        let order = sourceOrder
        // (One contribution, the usual case, is kept as it is: the candidate shares its storage.)
        let contributions =
            person.contributions.count < 2
            ? person.contributions
            : person.contributions.sorted {
                (order.firstIndex(of: $0.source) ?? .max) < (order.firstIndex(of: $1.source) ?? .max)
            }
        // One source owns the name and email: the user's origin while they still have an identity
        // there, else the first configured source that knows them. When that source was not read
        // in this run (`--source`, frozen), the fields stay as they are, so partial and full runs
        // never undo each other.
        let owner = fieldOwner(before, contributions: contributions, order: order)
        let primary = contributions.firstIndex { $0.source == owner }
        // Read out of the snapshot once: each `user` is a copy of the whole entry.
        let primaryUser = primary.map { contributions[$0].user }
        let email = primaryUser?.email ?? before!.email
        let username = primaryUser.map { Self.username(of: $0, email: email) } ?? before!.username

        let usernameKey = LDAPText.fold(username)
        // Claimed here, before it is known whether the person is created (given back below when
        // not): one lookup in the run's claims, which a first sync makes for everyone.
        let holder =
            usernameHolder(usernameKey, except: before?.id).map { "user id \($0.id) (\($0.email))" }
            ?? claims.claim(usernameKey, by: position).map { "\($0), created in this run" }
        if let holder {
            for contribution in contributions {
                plan.skipped.append(
                    SkippedIdentity(
                        source: contribution.source, entry: contribution.user.dn ?? contribution.user.label,
                        reason: "username \(username) is already used by \(holder)"))
            }
            return nil
        }

        // Fields read in place, by index: `contribution.user` (or a key path through it) copies
        // the whole entry, every field retained and released, and a first sync plans everyone.
        let allDisabled = contributions.indices.allSatisfy { contributions[$0].isDisabled }
        if before == nil && allDisabled {
            claims.withdraw(usernameKey, by: position)
            let first = contributions[0]
            plan.skipped.append(
                SkippedIdentity(
                    source: first.source, entry: first.user.dn ?? first.user.label,
                    reason: "disabled in \(first.source); not created"))
            return nil
        }

        var after = before ?? DirectoryUser(id: 0, username: username, email: email, origin: contributions[0].source)
        after.username = username
        after.email = email
        if let primaryUser {
            after.firstName = DisplayText.clean(primaryUser.firstName) ?? ""
            after.lastName = DisplayText.clean(primaryUser.lastName) ?? ""
        }

        for index in contributions.indices {
            let source = contributions[index].source
            let externalID = contributions[index].externalID
            var dn = contributions[index].dn
            let old = before?.identity(in: source)
            if old?.externalID == externalID, DNText.looselyEqual(old?.dn, dn) { dn = old?.dn }
            after.identities.removeAll { $0.source == source }
            after.identities.append(ExternalIdentity(source: source, externalID: externalID, dn: dn))
        }
        after.identities.sort { $0.source < $1.source }

        // Type is source-owned only when some mapping (or the defaults) sets it.
        let mappedTypes = contributions.indices.compactMap { contributions[$0].evaluation.type }
        if var type = mappedTypes.max() {
            let vouchedElsewhere = (before?.identities ?? []).contains { !liveSources.contains($0.source) }
            if vouchedElsewhere, let previous = before?.type { type = max(type, previous) }
            after.type = type
        }

        let kept = (before?.assignments ?? []).filter { assignment in
            guard let source = assignment.origin.source else { return true }
            return !liveSources.contains(source)
        }
        if kept.isEmpty && contributions.count == 1 {
            // One source and nothing kept (the usual case): its grants are already each once,
            // and usually in key order.
            let evaluation = contributions[0].evaluation
            after.assignments =
                evaluation.assignmentsInKeyOrder ? evaluation.assignments : evaluation.assignments.sortedByKey()
        } else {
            var assignments = kept
            var seen = Set(kept)
            for contribution in contributions {
                for assignment in contribution.evaluation.assignments where seen.insert(assignment).inserted {
                    assignments.append(assignment)
                }
            }
            after.assignments = assignments.sortedByKey()
        }

        var note: String?
        if allDisabled {
            if after.status == .active {
                after.status = .inactive
                after.deactivatedAt = now
                after.deactivatedBy = .sync
                note = "disabled in \(contributions.map(\.source).joined(separator: ", "))"
            }
        } else if after.status == .inactive && after.deactivatedBy != .admin {
            after.status = .active
            after.deactivatedAt = nil
            after.deactivatedBy = nil
            note = "in scope again in \(contributions.map(\.source).joined(separator: ", "))"
        }

        // (One contribution's rules are its evaluation's, shared rather than copied.)
        var rules = contributions[0].evaluation.matchedRules
        for contribution in contributions.dropFirst() {
            for rule in contribution.evaluation.matchedRules where !rules.contains(rule) { rules.append(rule) }
        }
        return Candidate(
            before: before, after: after, source: contributions[primary ?? 0].source, matchedRules: rules,
            note: note,
            chainSubjects: SourceUserPositions(contributions.indices.lazy.map { contributions[$0].position }))
    }

    private func fieldOwner(_ before: DirectoryUser?, contributions: [Contribution], order: [String]) -> String {
        guard let before else { return contributions[0].source }
        if order.contains(before.origin), before.identity(in: before.origin) != nil { return before.origin }
        let known = Set(before.identities.map(\.source) + contributions.map(\.source))
        return order.first(where: known.contains) ?? contributions[0].source
    }

    /// The non-deleted user, other than `id`, who already has the username folded to `key`.
    private func usernameHolder(_ key: String, except id: Int64?) -> DirectoryUser? {
        guard let index = usernameIndex[key], directory[index].id != id else { return nil }
        return directory[index]
    }

    /// The username a source user asks for: its own, cleaned and trimmed, else its email.
    static func username(of user: SourceUser, email: String) -> String {
        DisplayText.clean(user.username).map(trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 } ?? email
    }

    /// The key of the username a source user asks for, as the directory's `username_key`
    /// compares it; nil without an email (such a user is skipped before any username is given).
    public static func usernameKey(of user: SourceUser) -> String? {
        user.email.map { LDAPText.fold(username(of: user, email: $0)) }
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation's cost when neither end
    /// can be whitespace (an ASCII letter, digit or punctuation at both ends: nearly every name).
    static func trimmingWhitespace(_ text: String) -> String {
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? true }
        if plain(text.utf8.first) && plain(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// Steps 4 and 5 of SPEC §4: each candidate becomes a change (or none), and the limits are checked.
extension Planner {
    /// - Parameter chainResolver: what works out the change's chains, from `candidate.chainSubjects`.
    func classify(_ candidate: Candidate, chainResolver: ChainResolver) -> UserChange? {
        var after = candidate.after
        guard let before = candidate.before else {
            after.createdAt = now
            after.updatedAt = now
            var change = UserChange(
                action: .create, before: nil, after: after, source: candidate.source, mappings: candidate.matchedRules)
            change.explainChains(from: candidate.chainSubjects, by: chainResolver)
            return change
        }
        let action: UserChange.Action
        if after.status == .deleted && before.status != .deleted {
            action = .delete
        } else if before.status == .inactive && after.status == .active {
            action = .reactivate
        } else if before.status == .active && after.status == .inactive {
            action = .deactivate
        } else if before.username != after.username || before.email != after.email
            || dnChanged(before.identities, after.identities)
        {
            action = .rename
        } else if before != after && before.normalized != after.normalized {
            // (Equal as they are is the no-change resync: no need to sort both to compare them.)
            action = .update
        } else {
            return nil
        }
        after.updatedAt = now
        let added = Set(after.assignments).subtracting(before.assignments)
        let removed = Set(before.assignments).subtracting(after.assignments)
        var mappings = Set((added.union(removed)).compactMap(\.origin.mappingID))
        if before.type != after.type, action != .delete { mappings.formUnion(candidate.matchedRules.prefix(1)) }
        let ordered =
            candidate.matchedRules.filter(mappings.contains) + mappings.subtracting(candidate.matchedRules).sorted()
        var change = UserChange(
            action: action, before: before, after: after, source: candidate.source, mappings: ordered,
            note: candidate.note)
        change.explainChains(from: candidate.chainSubjects, by: chainResolver)
        return change
    }

    /// The first limit `plan` goes over. With `totals` whose managed users are not counted, a
    /// plan that deactivates or deletes anyone has none yet: count them and ask again.
    public func safetyBreach(_ plan: Plan) -> SafetyBreach? {
        let safety = configuration.safety
        let counts = plan.actionCounts
        let deactivations = counts[.deactivate] ?? 0
        let deletions = counts[.delete] ?? 0
        guard deactivations + deletions > 0 else { return nil }
        guard
            let managed = totals.map({ $0.managedUsers })
                ?? directory.filter({ $0.status != .deleted && !$0.identities.isEmpty }).count
        else { return nil }
        let deactivationAllowance = safety.maxDeactivations.allowance(managed: managed)
        if deactivations > deactivationAllowance {
            return SafetyBreach(
                limit: "max_deactivations", planned: deactivations, allowed: deactivationAllowance,
                configured: safety.maxDeactivations)
        }
        let deletionAllowance = safety.maxDeletions.allowance(managed: managed)
        if deletions > deletionAllowance {
            return SafetyBreach(
                limit: "max_deletions", planned: deletions, allowed: deletionAllowance, configured: safety.maxDeletions)
        }
        return nil
    }

    private func dnChanged(_ before: [ExternalIdentity], _ after: [ExternalIdentity]) -> Bool {
        for identity in after {
            if let old = before.first(where: { $0.source == identity.source && $0.externalID == identity.externalID }),
                old.dn != identity.dn
            {
                return true
            }
        }
        return false
    }
}

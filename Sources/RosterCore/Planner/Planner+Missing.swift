import Foundation

/// Steps 4 and `delete_after` of SPEC §4: users that live sources no longer vouch for.
extension Planner {
    /// - Parameter withdrawn: per live source, the external ids it withdrew and why: their grants
    ///   from that source go even when `on_missing` keeps the user (or the user is already inactive).
    func missingUsers(
        liveSources: Set<String>, handled: Set<Int>, outOfScope: [Int: String],
        withdrawn: [String: [String: String]] = [:]
    ) -> [Candidate] {
        let configured = Set(configuration.sources.map(\.name))
        var candidates: [Candidate] = []
        for (index, user) in directory.enumerated() where user.status != .deleted && !handled.contains(index) {
            let liveIdentities = user.identities.filter { liveSources.contains($0.source) }
            guard !liveIdentities.isEmpty, !isProtected(user) else { continue }
            let liveNames = liveIdentities.map(\.source).joined(separator: ", ")
            var after = user
            let withdrawals = liveIdentities.compactMap { identity in
                withdrawn[identity.source]?[identity.externalID].map { (source: identity.source, reason: $0) }
            }
            let withdrawingSources = Set(withdrawals.map(\.source))
            after.assignments.removeAll { $0.origin.source.map(withdrawingSources.contains) ?? false }

            // Another source this run did not read could still vouch for the user: only the
            // live sources' grants go.
            let elsewhere = user.identities.contains {
                !liveSources.contains($0.source) && configured.contains($0.source)
            }
            if elsewhere {
                after.assignments = user.assignments.filter { assignment in
                    assignment.origin.source.map { !liveSources.contains($0) } ?? true
                }
                if after.assignments != user.assignments {
                    candidates.append(
                        Candidate(
                            before: user, after: after, source: liveIdentities[0].source, matchedRules: [],
                            note: "no longer granted by \(liveNames)"))
                }
                continue
            }

            let outOfScopeNote = outOfScope[index].map {
                $0 == MappingEvaluation.unmatched ? "no longer matched by any mapping" : $0
            }
            let note = withdrawals.first.map(\.reason) ?? outOfScopeNote ?? "no longer in \(liveNames)"
            switch configuration.safety.onMissing {
            case .keep:
                guard after.assignments != user.assignments else { continue }
            case .deactivate:
                if user.status == .active {
                    after.status = .inactive
                    after.deactivatedAt = now
                    after.deactivatedBy = .sync
                } else if after.assignments == user.assignments {
                    continue
                }
            case .delete:
                after = user.tombstone(at: now)
            }
            candidates.append(
                Candidate(
                    before: user, after: after, source: liveIdentities[0].source, matchedRules: [],
                    note: note))
        }
        return candidates
    }

    /// Users inactive (by sync) longer than `safety.delete_after` become tombstones.
    func expiredUsers(_ candidates: [Candidate], liveSources: Set<String>) -> [Candidate] {
        guard let deleteAfter = configuration.safety.deleteAfter else { return candidates }
        let cutoff = now.addingTimeInterval(-deleteAfter.seconds)
        var result = candidates
        var planned: [Int64: Int] = [:]
        for (position, candidate) in candidates.enumerated() {
            if let id = candidate.before?.id { planned[id] = position }
        }
        for user in directory where user.status == .inactive && user.deactivatedBy == .sync {
            guard let since = user.deactivatedAt, since <= cutoff, !isProtected(user), !user.identities.isEmpty,
                user.identities.allSatisfy({ liveSources.contains($0.source) })
            else { continue }
            let note = "inactive since \(Self.day(since)), past safety.delete_after"
            if let position = planned[user.id] {
                guard result[position].after.status == .inactive else { continue }
                result[position].after = user.tombstone(at: now)
                result[position].note = note
            } else {
                result.append(
                    Candidate(
                        before: user, after: user.tombstone(at: now), source: user.identities.first?.source,
                        matchedRules: [], note: note))
            }
        }
        return result
    }

    private static func day(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(10))
    }
}

extension Duration {
    /// The duration in seconds, as a TimeInterval.
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

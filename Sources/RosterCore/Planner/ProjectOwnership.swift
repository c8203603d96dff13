/// A project has at most one owner (SPEC §2). When mappings name several, one is kept and the
/// others are demoted to `user`: a manual owner first, then the owner already in place, then the
/// first by email.
enum ProjectOwnership {
    static func ownsProject(_ user: DirectoryUser) -> Bool {
        user.assignments.contains { $0.kind == .project && $0.detail == ProjectRole.owner.rawValue }
    }

    /// - Parameter ownersInDirectory: whether some user of `directory` owns a project (the planner
    ///   has asked already).
    static func enforce(
        on candidates: inout [Planner.Candidate], directory: [DirectoryUser], ownersInDirectory: Bool
    ) -> [String] {
        // Most directories have no project owners at all: then there is nothing to settle, and no
        // copy of every user's final state to make.
        guard ownersInDirectory || candidates.contains(where: { ownsProject($0.after) }) else {
            return []
        }
        // The state every user ends in: candidates where planned, the directory elsewhere.
        var planned: [Int64: Int] = [:]
        for (position, candidate) in candidates.enumerated() {
            if let id = candidate.before?.id { planned[id] = position }
        }
        var finals: [(candidate: Int?, user: DirectoryUser)] = candidates.enumerated().map {
            ($0.offset, $0.element.after)
        }
        for user in directory where planned[user.id] == nil && user.status != .deleted {
            finals.append((nil, user))
        }

        var ownersByProject: [String: [Int]] = [:]
        for (position, final) in finals.enumerated() where final.user.status != .deleted {
            for assignment in final.user.assignments
            where assignment.kind == .project && assignment.detail == ProjectRole.owner.rawValue {
                if ownersByProject[assignment.name]?.last != position {
                    ownersByProject[assignment.name, default: []].append(position)
                }
            }
        }

        var warnings: [String] = []
        for project in ownersByProject.keys.sorted() {
            let owners = ownersByProject[project]!
            guard owners.count > 1 else { continue }
            let keeper =
                owners.first { position in
                    finals[position].user.assignments.contains {
                        $0.kind == .project && $0.name == project && $0.detail == "owner" && $0.origin == .manual
                    }
                } ?? owners.first { position in
                    let id = finals[position].user.id
                    guard id != 0 else { return false }
                    return directory.first { $0.id == id }?.assignments.effectiveProjects.contains {
                        $0.name == project && $0.role == .owner
                    } ?? false
                } ?? owners.min { EmailAddress.key(finals[$0].user.email) < EmailAddress.key(finals[$1].user.email) }!

            // Said once, in the run that settles it, not again in every run after.
            var settlesSomething = false
            for position in owners where position != keeper {
                var user = finals[position].user
                user.assignments = user.assignments.map { assignment in
                    guard assignment.kind == .project, assignment.name == project, assignment.detail == "owner",
                        assignment.origin != .manual
                    else { return assignment }
                    var demoted = assignment
                    demoted.detail = ProjectRole.user.rawValue
                    return demoted
                }
                user.assignments = Array(Set(user.assignments)).sortedByKey()
                let stored = finals[position].candidate.map { candidates[$0].before } ?? finals[position].user
                if stored?.normalized.assignments != user.normalized.assignments { settlesSomething = true }
                if let candidate = finals[position].candidate {
                    candidates[candidate].after = user
                } else {
                    candidates.append(
                        Planner.Candidate(
                            before: finals[position].user, after: user, source: nil, matchedRules: [],
                            note: nil))
                }
            }
            if settlesSomething {
                warnings.append(
                    "project \(project): several owners mapped; kept \(finals[keeper].user.email), the others are users"
                )
            }
        }
        return warnings
    }
}

import Foundation

/// Turns what the sources said into a plan against the directory (SPEC §4). Pure: no I/O.
///
/// Only sources whose read is in `snapshots` and complete are *live*: facts from any other source
/// (frozen, not read this run) are kept exactly as they are.
public struct Planner: Sendable {
    public let configuration: RosterConfiguration
    public let directory: [DirectoryUser]
    public let now: Date
    /// Folded username → index in `directory`, for non-deleted users: one lookup per person.
    let usernameIndex: [String: Int]
    /// The configured sources' names, in order (which source owns a person's fields).
    let sourceOrder: [String]
    let protectedKeys: Set<String>
    /// Set when `directory` and the snapshots are only the people a run's changes touch
    /// (`TouchedPeople`): the counts that still describe the whole of them.
    public let totals: PlanTotals?

    /// - Parameter totals: nil when `directory` is the whole directory and the snapshots whole reads.
    public init(configuration: RosterConfiguration, directory: [DirectoryUser], now: Date, totals: PlanTotals? = nil) {
        self.configuration = configuration
        self.directory = directory
        self.now = now
        self.totals = totals
        var usernames: [String: Int] = [:]
        for (index, user) in directory.enumerated() where user.status != .deleted {
            usernames[LDAPText.fold(user.username)] = index
        }
        usernameIndex = usernames
        sourceOrder = configuration.sources.map(\.name)
        protectedKeys = Set(configuration.safety.protectedUsers.map(LDAPText.fold))
    }

    /// One source user who counts towards a person, with what the mappings gave them.
    struct Contribution {
        var source: String
        /// Where `user` is in the run's reads, for the chains of the change it may become.
        var position: SourceUserPosition
        /// The users of the snapshot (its array, shared): a copy of the user in every
        /// contribution was a tenth of a first sync's peak, held while everyone is identified.
        var snapshotUsers: [SourceUser]
        var evaluation: MappingEvaluation

        var user: SourceUser { snapshotUsers[Int(position.user)] }
        // One field of the user, read out of the snapshot without a copy of the whole entry.
        var isDisabled: Bool { snapshotUsers[Int(position.user)].disabled }
        var externalID: String { snapshotUsers[Int(position.user)].externalID }
        var dn: String? { snapshotUsers[Int(position.user)].dn }
    }

    /// A person: an existing directory user and/or source identities linked to one another.
    struct Person {
        var existing: Int?
        var emailKey: String
        var contributions: [Contribution]
    }

    /// The state a user should reach, before it is classified into a change.
    struct Candidate {
        @BoxedUser var before: DirectoryUser?
        var after: DirectoryUser
        var source: String?
        var matchedRules: [String]
        var note: String?
        /// The source users behind the candidate, in source order: the change it becomes works
        /// their chains out (`ChainResolver`) when asked. Their mapping evaluations are not kept:
        /// a first sync holds a candidate for everyone, and those were a fifth of its peak.
        var chainSubjects = SourceUserPositions.none
    }

    public func plan(_ snapshots: [SourceSnapshot]) -> Plan {
        var plan = Plan()
        let live = liveSnapshots(snapshots, plan: &plan)
        let liveSources = Set(live.map(\.source))
        var identification = Identification(planner: self, liveSources: liveSources, snapshots: live)
        for snapshot in live { identification.read(snapshot) }
        plan.skipped += identification.skipped
        plan.warnings += identification.warnings

        // Each person's contributions (their mapping evaluations) are let go once their candidate
        // exists, and a candidate that no later step can change is classified at once: a first
        // sync has one of each for everyone, and holding the three at once was most of its peak.
        let chainResolver = ChainResolver(replays: identification.replays)
        var persons = identification.finishReading()
        var changes: [UserChange] = []
        changes.reserveCapacity(persons.count)
        var candidates: [Candidate] = []
        let ownersInDirectory = directory.contains(where: ProjectOwnership.ownsProject)
        var claims = UsernameClaims(emailKeys: persons.map(\.emailKey))
        for index in persons.indices {
            let person = persons[index]
            persons[index].contributions = []
            guard
                let candidate = desiredState(
                    of: person, at: index, liveSources: liveSources, claims: &claims, plan: &plan)
            else { continue }
            if isFinal(candidate, ownersInDirectory: ownersInDirectory) {
                if let change = classify(candidate, chainResolver: chainResolver) { changes.append(change) }
            } else {
                candidates.append(candidate)
            }
        }
        persons = []
        candidates += missingUsers(
            liveSources: liveSources, handled: identification.handled, outOfScope: identification.outOfScopeReasons,
            withdrawn: Dictionary(live.map { ($0.source, $0.withdrawn) }, uniquingKeysWith: { first, _ in first }))
        candidates = expiredUsers(candidates, liveSources: liveSources)
        plan.warnings += ProjectOwnership.enforce(
            on: &candidates, directory: directory, ownersInDirectory: ownersInDirectory)
        for candidate in candidates {
            if let change = classify(candidate, chainResolver: chainResolver) { changes.append(change) }
        }
        candidates = []
        Self.sortForDisplay(&changes)
        plan.changes = changes
        plan.chainResolver = chainResolver
        plan.safetyBreach = safetyBreach(plan)
        return plan
    }

    /// Whether the steps after `desiredState` leave `candidate` as it is: `expiredUsers` changes
    /// only users inactive before the run, and `ProjectOwnership` only project owners, and it
    /// weighs every user's final state only when some user owns a project.
    private func isFinal(_ candidate: Candidate, ownersInDirectory: Bool) -> Bool {
        guard !ownersInDirectory, !ProjectOwnership.ownsProject(candidate.after) else { return false }
        guard configuration.safety.deleteAfter != nil, let before = candidate.before else { return true }
        return before.status != .inactive
    }

    // MARK: - Sources

    /// Complete reads, minus those that came back empty while users are managed from them.
    private func liveSnapshots(_ snapshots: [SourceSnapshot], plan: inout Plan) -> [SourceSnapshot] {
        let order = Dictionary(uniqueKeysWithValues: configuration.sources.enumerated().map { ($1.name, $0) })
        var live: [SourceSnapshot] = []
        for snapshot in snapshots.sorted(by: { (order[$0.source] ?? .max) < (order[$1.source] ?? .max) }) {
            plan.warnings += snapshot.warnings.map { "\(snapshot.source): \($0)" }
            guard snapshot.complete else {
                plan.frozenSources.append(
                    FrozenSource(source: snapshot.source, problem: snapshot.problem ?? "the read was incomplete"))
                continue
            }
            let allowEmpty = configuration.source(named: snapshot.source)?.allowEmpty ?? false
            let userCount = totals?.sourceUsers[snapshot.source] ?? snapshot.users.count
            if userCount == 0 && snapshot.withdrawn.isEmpty && !allowEmpty {
                let managed =
                    totals.map { $0.managedBySource[snapshot.source] ?? 0 }
                    ?? directory.filter { user in
                        user.status != .deleted && user.identity(in: snapshot.source) != nil
                    }.count
                if managed > 0 {
                    plan.frozenSources.append(
                        FrozenSource(
                            source: snapshot.source,
                            problem: "the source returned no users while \(managed) users are managed from it; "
                                + "if that is expected, set allow_empty: true on the source"))
                    continue
                }
            }
            live.append(snapshot)
        }
        return live
    }

    // MARK: - Helpers shared by the steps

    func isProtected(email: String?, username: String?) -> Bool {
        guard !protectedKeys.isEmpty else { return false }
        return [email, username].compactMap { $0 }.contains { protectedKeys.contains(LDAPText.fold($0)) }
    }

    func isProtected(_ user: DirectoryUser) -> Bool {
        isProtected(email: user.email, username: user.username)
    }

    /// Creations, reactivations, renames and updates, deactivations, deletions; by email key
    /// within each. The keys are computed once per change, not per comparison, and the changes
    /// are moved into place rather than copied into a second array (a first sync changes everyone).
    private static func sortForDisplay(_ changes: inout [UserChange]) {
        func rank(_ action: UserChange.Action) -> Int {
            switch action {
            case .create: return 0
            case .reactivate: return 1
            case .rename, .update: return 2
            case .deactivate: return 3
            case .delete: return 4
            }
        }
        let keys = changes.indices.map { (rank: rank(changes[$0].action), email: EmailAddress.key(changes[$0].email)) }
        // order[k] is the position of the change that belongs at k.
        let order = keys.indices.sorted { lhs, rhs in
            let (left, right) = (keys[lhs], keys[rhs])
            return left.rank != right.rank ? left.rank < right.rank : left.email < right.email
        }
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            // Each cycle of the permutation by swaps: the change first at `start` travels along it.
            var position = start
            while true {
                placed[position] = true
                let next = order[position]
                if next == start { break }
                changes.swapAt(position, next)
                position = next
            }
        }
    }
}

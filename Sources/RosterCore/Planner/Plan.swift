/// What one reconcile run would change, and why. Applied in one transaction or not at all.
public struct Plan: Sendable {
    public var changes: [UserChange]
    /// Source identities left alone, each with its reason (bad email, email conflict…).
    public var skipped: [SkippedIdentity]
    /// Sources whose read was incomplete, with the problem: nothing of theirs was removed.
    public var frozenSources: [FrozenSource]
    /// Conflicts resolved by a rule (two project owners…), worth an admin's look.
    public var warnings: [String]
    /// Set when the plan exceeds a `safety.max_*` limit: nothing may be applied without `--force`.
    public var safetyBreach: SafetyBreach?
    /// What works out the changes' chains (`UserChange.chains`), for `releaseChainSources`.
    var chainResolver: ChainResolver?

    public init(
        changes: [UserChange] = [], skipped: [SkippedIdentity] = [], frozenSources: [FrozenSource] = [],
        warnings: [String] = [], safetyBreach: SafetyBreach? = nil
    ) {
        self.changes = changes
        self.skipped = skipped
        self.frozenSources = frozenSources
        self.warnings = warnings
        self.safetyBreach = safetyBreach
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// Lets go of the source users and groups the changes' chains are worked out from, once
    /// nothing will read them again: after that every change's `chains` is empty. A first sync's
    /// plan otherwise keeps the whole read alive while its text is rendered.
    public func releaseChainSources() {
        chainResolver?.release()
    }

    public func count(_ action: UserChange.Action) -> Int {
        actionCounts[action] ?? 0
    }

    /// How many changes each action has (only those it has), in one pass over the changes: a
    /// first sync's are a million structs of a few hundred bytes each to walk through.
    public var actionCounts: [UserChange.Action: Int] {
        // By index: iterating the elements copies every change (and retains all of its users'
        // fields) on the way.
        var counts = [Int](repeating: 0, count: UserChange.Action.allCases.count)
        for index in changes.indices { counts[changes[index].action.position] += 1 }
        var byAction: [UserChange.Action: Int] = [:]
        for action in UserChange.Action.allCases where counts[action.position] > 0 {
            byAction[action] = counts[action.position]
        }
        return byAction
    }

    /// `N created, N updated, N deactivated, N reactivated, N deleted`.
    public var summaryLine: String { Self.summaryLine(actionCounts) }

    /// The summary line of a plan with these `actionCounts`.
    public static func summaryLine(_ counts: [UserChange.Action: Int]) -> String {
        func count(_ action: UserChange.Action) -> Int { counts[action] ?? 0 }
        let updated = count(.update) + count(.rename)
        return "\(count(.create)) created, \(updated) updated, \(count(.deactivate)) deactivated, "
            + "\(count(.reactivate)) reactivated, \(count(.delete)) deleted"
    }
}

/// One user's change: the whole row as it should be afterwards, and the records that explain it.
public struct UserChange: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case create
        case update
        case rename
        case deactivate
        case reactivate
        case delete

        /// Where the action is in `allCases`.
        var position: Int {
            switch self {
            case .create: 0
            case .update: 1
            case .rename: 2
            case .deactivate: 3
            case .reactivate: 4
            case .delete: 5
            }
        }
    }

    public var action: Action
    /// The row as stored now; nil for a create.
    @BoxedUser public var before: DirectoryUser?
    /// The row as it must be stored: fields, identities and every assignment (manual ones kept).
    /// Its `id` is 0 for a create; the store assigns the id.
    public var after: DirectoryUser
    /// The source that decided the change, if one did.
    public var source: String?
    /// Ids of the mappings behind the change, for the plan line and the audit `reason`.
    public var mappings: [String]
    /// Human reason for removals and status changes ("no longer matched by any mapping").
    public var note: String?
    /// How each granted assignment was reached: `alice ← cn=ml-core ← cn=ml-admins → mapping ml-admins`.
    /// A planned change works them out each time they are read (by evaluating its users'
    /// mappings again: read them once); one built with `chains:` keeps those it was given.
    public var chains: [String] {
        get { chainResolver?.chains(of: chainSubjects, for: self) ?? givenChains }
        set {
            givenChains = newValue
            chainResolver = nil
        }
    }
    private var givenChains: [String]
    /// The source users the planner worked the change out from, for `chainResolver`.
    var chainSubjects = SourceUserPositions.none
    var chainResolver: ChainResolver?

    public init(
        action: Action, before: DirectoryUser?, after: DirectoryUser, source: String?, mappings: [String],
        note: String? = nil, chains: [String] = []
    ) {
        self.action = action
        self.before = before
        self.after = after
        self.source = source
        self.mappings = mappings
        self.note = note
        self.givenChains = chains
    }

    /// Has the chains worked out from `subjects` when they are read (none without subjects).
    mutating func explainChains(from subjects: SourceUserPositions, by resolver: ChainResolver) {
        guard !subjects.isEmpty else { return }
        chainSubjects = subjects
        chainResolver = resolver
    }

    /// What the change grants, in key order: every assignment of a new user, the added ones of
    /// anyone else. (Its records and its chains explain these.)
    public var grantedAssignments: [Assignment] {
        guard let before else { return after.assignments.sortedByKey() }
        return Array(Set(after.assignments).subtracting(before.assignments)).sortedByKey()
    }

    /// The email that names this user in output (the old one for deletions).
    public var email: String { after.email.isEmpty ? (before?.email ?? "") : after.email }
}

public struct SkippedIdentity: Sendable, Hashable {
    public var source: String
    /// Username, DN or id of the entry.
    public var entry: String
    public var reason: String

    public init(source: String, entry: String, reason: String) {
        self.source = source
        self.entry = entry
        self.reason = reason
    }
}

public struct FrozenSource: Sendable, Hashable {
    public var source: String
    public var problem: String

    public init(source: String, problem: String) {
        self.source = source
        self.problem = problem
    }
}

public struct SafetyBreach: Sendable, Hashable, CustomStringConvertible {
    /// `max_deactivations` or `max_deletions`.
    public var limit: String
    public var planned: Int
    public var allowed: Int
    public var configured: ChangeLimit

    public init(limit: String, planned: Int, allowed: Int, configured: ChangeLimit) {
        self.limit = limit
        self.planned = planned
        self.allowed = allowed
        self.configured = configured
    }

    public var description: String {
        "\(planned) planned \(limit == "max_deletions" ? "deletions" : "deactivations") exceed safety.\(limit) "
            + "(\(configured), \(allowed) allowed): nothing was applied; check the sources, then rerun with --force "
            + "to apply once"
    }
}

/// What the mappings say about one source user.
public struct MappingEvaluation: Sendable {
    /// The out-of-scope reason of a user no selector rule matches.
    public static let unmatched = "not matched by any mapping"

    /// In scope: Roster manages this user from this source.
    public var inScope: Bool
    /// Why the user is out of scope, when they are.
    public var outOfScopeReason: String?
    /// Ids of the rules that matched (selector-less rules included), in config order.
    public var matchedRules: [String]
    /// The type the mappings give (nil: none of them sets one).
    public var type: UserType?
    /// The rule that decided `type`.
    public var typeRule: String?
    /// Every grant, each once, with its origin.
    public var assignments: [Assignment]
    /// Whether `assignments` are in key order (`Array.sortedByKey`) already.
    public var assignmentsInKeyOrder = false
    /// How each of `assignments`, at the same position, was reached (`alice ← cn=ml-core ←
    /// cn=ml-admins → mapping ml-admins`); empty when evaluated without chains. Positions rather
    /// than a dictionary by assignment key: the audit records of a first sync ask for everyone's.
    public var chains: [String]
    /// Rules that matched but produced an unusable name (empty after substitution).
    public var warnings: [String]

    public init(
        inScope: Bool, outOfScopeReason: String? = nil, matchedRules: [String] = [], type: UserType? = nil,
        typeRule: String? = nil, assignments: [Assignment] = [], chains: [String] = [],
        warnings: [String] = []
    ) {
        self.inScope = inScope
        self.outOfScopeReason = outOfScopeReason
        self.matchedRules = matchedRules
        self.type = type
        self.typeRule = typeRule
        self.assignments = assignments
        self.chains = chains
        self.warnings = warnings
    }

    /// How `assignment` was reached, when it is granted and chains were worked out.
    public func chain(of assignment: Assignment) -> String? {
        guard let position = assignments.firstIndex(of: assignment), chains.indices.contains(position) else {
            return nil
        }
        return chains[position]
    }
}

/// How one rule fared against one user, for `roster config explain`.
public struct RuleExplanation: Sendable {
    public var ruleID: String
    public var matched: Bool
    public var exclude: Bool
    /// One line per way the rule matched, or the reason it did not.
    public var details: [String]
    public var grants: [String]
}

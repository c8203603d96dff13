/// Evaluates the mapping rules of one source against that source's users (SPEC §3, §4.3).
public struct MappingEngine: Sendable {
    public let source: String
    public let rules: [MappingRule]
    public let defaults: DefaultGrants
    public let scope: SyncScope
    /// Each rule's origin, then the defaults': built once, so that every assignment a rule
    /// makes shares its string.
    private let ruleOrigins: [AssignmentOrigin]
    /// Each rule's `→ mapping <id>`, the end of its chains: made once, not per user.
    private let ruleArrows: [String]
    private let defaultsOrigin: AssignmentOrigin

    public init(source: String, configuration: RosterConfiguration) {
        self.source = source
        self.rules = configuration.mappings.filter { $0.source == source }
        self.defaults = configuration.defaults
        self.scope = configuration.scope
        ruleOrigins = rules.map { AssignmentOrigin.mapping(id: $0.id, source: source) }
        ruleArrows = rules.map { "→ mapping " + $0.id }
        defaultsOrigin = AssignmentOrigin.mapping(id: "defaults", source: source)
    }

    /// One way a rule matched: the selector's captures and the path that led there.
    struct Match {
        var captures: Captures
        var chain: String
    }

    /// The mappings' verdict on `user`.
    public func evaluate(_ user: SourceUser, memberships: MembershipIndex) -> MappingEvaluation {
        var cache = MatchCache()
        return evaluate(user, memberships: memberships, cache: &cache)
    }

    /// `evaluate(_:memberships:)` with what depends only on the groups kept in `cache`, which
    /// serves every user of one source (and `memberships`) in one run. Without `withChains`,
    /// `chains` stays empty: the planner asks for them only for the users it changes.
    func evaluate(
        _ user: SourceUser, memberships: MembershipIndex, cache: inout MatchCache, withChains: Bool = true
    ) -> MappingEvaluation {
        let userMemberships = memberships.memberships(of: user)
        let matchesByRule = rules.indices.map { ruleIndex in
            matches(
                of: rules[ruleIndex], for: user, memberships: userMemberships, index: memberships,
                cache: &cache, ruleIndex: ruleIndex, withChains: withChains)
        }

        // By index: iterating `rules` (or zipping it) copies each rule, every one of its arrays
        // retained and released, for every user.
        for ruleIndex in rules.indices where rules[ruleIndex].exclude && !matchesByRule[ruleIndex].isEmpty {
            return MappingEvaluation(inScope: false, outOfScopeReason: "excluded by mapping \(rules[ruleIndex].id)")
        }
        let selected = rules.indices.contains { ruleIndex in
            !rules[ruleIndex].exclude && rules[ruleIndex].selector != nil && !matchesByRule[ruleIndex].isEmpty
        }
        if scope == .mapped && !selected {
            return MappingEvaluation(inScope: false, outOfScopeReason: MappingEvaluation.unmatched)
        }

        var evaluation = MappingEvaluation(inScope: true)
        var matchedRules: [String] = []
        // Most users have a handful of grants, where a scan finds a repeat faster than a set
        // would; the set is built only for a long list.
        var granted: [Assignment] = []
        var chains: [String] = []
        var seen = Set<Assignment>()
        func grant(_ assignment: Assignment, chain: String) {
            if granted.count < 16 {
                guard !granted.contains(assignment) else { return }
            } else {
                if seen.isEmpty { seen = Set(granted) }
                guard seen.insert(assignment).inserted else { return }
            }
            granted.append(assignment)
            if withChains { chains.append(chain) }
        }
        for ruleIndex in rules.indices where !rules[ruleIndex].exclude && !matchesByRule[ruleIndex].isEmpty {
            // The fields read out one by one: a copy of the whole rule retains every one of them.
            let ruleID = rules[ruleIndex].id
            let (roles, groups, projects) = (rules[ruleIndex].roles, rules[ruleIndex].groups, rules[ruleIndex].projects)
            let matches = matchesByRule[ruleIndex]
            let origin = ruleOrigins[ruleIndex]
            matchedRules.append(ruleID)
            if let type = rules[ruleIndex].type, type > (evaluation.type ?? .user) || evaluation.type == nil {
                evaluation.type = type
                evaluation.typeRule = ruleID
            }
            for match in matches {
                for role in roles { grant(.role(role, origin: origin), chain: match.chain) }
                for group in groups {
                    let name = group.name.render(match.captures)
                    guard !name.isEmpty else {
                        evaluation.warnings.append("mapping \(ruleID) made an empty group name from \"\(group.name)\"")
                        continue
                    }
                    grant(.group(name, role: group.role, origin: origin), chain: match.chain)
                }
                for project in projects {
                    let name = project.name.render(match.captures)
                    guard !name.isEmpty else {
                        evaluation.warnings.append(
                            "mapping \(ruleID) made an empty project name from \"\(project.name)\"")
                        continue
                    }
                    grant(.project(name, role: project.role, origin: origin), chain: match.chain)
                }
            }
        }
        let defaultsChain = withChains ? "\(user.label) → defaults" : ""
        for role in defaults.roles { grant(.role(role, origin: defaultsOrigin), chain: defaultsChain) }
        if evaluation.type == nil, let type = defaults.type {
            evaluation.type = type
            evaluation.typeRule = "defaults"
        }
        // Users of one source mostly match the same few lists of rules: they share one array each.
        evaluation.matchedRules = cache.shared(matchedRules)
        // The planner's evaluations (without chains) in key order, as the planner stores them:
        // sorted here, on the evaluating thread, the planner need not (its last steps run alone,
        // with the rest of the run waiting). Chains are looked up by grant, in any order.
        if !withChains {
            granted = granted.sortedByKey()
            evaluation.assignmentsInKeyOrder = true
        }
        // Kept for as long as the user's plan (a first sync holds everyone's): no spare capacity
        // from growing by appends.
        evaluation.assignments.reserveCapacity(granted.count)
        evaluation.assignments.append(contentsOf: granted)
        evaluation.chains = chains
        return evaluation
    }

    /// Rule by rule, whether and how it matches `user`: the text of `roster config explain`.
    public func explain(_ user: SourceUser, memberships: MembershipIndex) -> [RuleExplanation] {
        let userMemberships = memberships.memberships(of: user)
        var cache = MatchCache()
        return rules.indices.map { ruleIndex in
            let rule = rules[ruleIndex]
            let found = matches(
                of: rule, for: user, memberships: userMemberships, index: memberships, cache: &cache,
                ruleIndex: ruleIndex)
            var grants: [String] = []
            if let type = rule.type { grants.append("type=\(type.rawValue)") }
            if !rule.roles.isEmpty { grants.append("roles=[\(rule.roles.joined(separator: ","))]") }
            for match in found {
                for group in rule.groups {
                    grants.append("group \(group.name.render(match.captures)) as \(group.role.rawValue)")
                }
                for project in rule.projects {
                    grants.append("project \(project.name.render(match.captures)) as \(project.role.rawValue)")
                }
            }
            let details = found.isEmpty ? [notMatchedReason(rule, user: user)] : found.map(\.chain)
            return RuleExplanation(
                ruleID: rule.id, matched: !found.isEmpty, exclude: rule.exclude, details: details,
                grants: found.isEmpty || rule.exclude ? [] : grants)
        }
    }

    // MARK: - Selectors

    func matches(
        of rule: MappingRule, for user: SourceUser, memberships: [MembershipIndex.Membership], index: MembershipIndex,
        cache: inout MatchCache, ruleIndex: Int, withChains: Bool = true
    ) -> [Match] {
        let arrow = withChains ? ruleArrows[ruleIndex] : ""
        // Without chains every match gets an empty one; the text is built only when asked for.
        func text(_ chain: @autoclosure () -> String) -> String { withChains ? chain() : "" }
        guard let selector = rule.selector else {
            return [Match(captures: Captures(), chain: text("\(user.label) \(arrow)"))]
        }
        switch selector {
        case .group(let normalizedDN, _):
            guard let membership = memberships.first(where: { index.groups[$0.group].normalizedDN == normalizedDN })
            else { return [] }
            return [
                Match(
                    captures: Captures(),
                    chain: text(chain(user, membership, index, arrow, ruleIndex: ruleIndex, &cache)))
            ]
        case .groupName(let pattern):
            return memberships.compactMap { membership in
                cache.match(
                    pattern, rule: ruleIndex, group: membership.group, name: index.groups[membership.group].name
                )
                .map {
                    Match(
                        captures: $0, chain: text(chain(user, membership, index, arrow, ruleIndex: ruleIndex, &cache)))
                }
            }
        case .attribute(let name, let pattern):
            let values = user.attributes[name.lowercased()] ?? []
            return values.compactMap { value in
                pattern.match(value).map {
                    Match(captures: $0, chain: text("\(user.label): \(name)=\(value) \(arrow)"))
                }
            }
        case .claim(let path, let pattern):
            guard let claims = user.claims else { return [] }
            return ClaimPath.strings(at: path, in: claims).compactMap { value in
                pattern.match(value).map {
                    Match(captures: $0, chain: text("\(user.label): \(path) ∋ \(value) \(arrow)"))
                }
            }
        }
    }

    private func chain(
        _ user: SourceUser, _ membership: MembershipIndex.Membership, _ index: MembershipIndex, _ arrow: String,
        ruleIndex: Int, _ cache: inout MatchCache
    ) -> String {
        // A direct membership's part after the user is the same for every member of the group.
        if membership.path.count == 1 {
            let group = membership.path[0]
            return user.label
                + cache.chainSuffix(rule: ruleIndex, group: group) { cache in
                    " ← " + cache.firstRDN(of: group, dn: index.groups[group].dn) + " " + arrow
                }
        }
        var chain = user.label
        for group in membership.path {
            chain += " ← "
            chain += cache.firstRDN(of: group, dn: index.groups[group].dn)
        }
        chain += " "
        chain += arrow
        return chain
    }

    private func notMatchedReason(_ rule: MappingRule, user: SourceUser) -> String {
        guard let selector = rule.selector else { return "applies to every in-scope user" }
        switch selector {
        case .group(_, let written): return "not a member of \(written)"
        case .groupName(let pattern): return "no group named like \"\(pattern.text)\""
        case .attribute(let name, let pattern):
            let values = user.attributes[name.lowercased()] ?? []
            return "\(name) is [\(values.joined(separator: ", "))], not \"\(pattern.text)\""
        case .claim(let path, let pattern):
            let values = user.claims.map { ClaimPath.strings(at: path, in: $0) } ?? []
            return "claim \(path) is [\(values.joined(separator: ", "))], not \"\(pattern.text)\""
        }
    }
}

/// What the rules make of each group, which is the same for every member: a `group_name`
/// pattern is matched against a group's name once per run rather than once per member (the
/// regex was most of the mapping cost), and each group's first RDN is cut out once.
struct MatchCache {
    private struct RuleAndGroup: Hashable {
        var rule: Int
        var group: Int
    }

    /// The captures of each rule's pattern on each group's name, or nil for no match.
    private var nameMatches: [RuleAndGroup: Captures?] = [:]
    private var firstRDNs: [Int: String] = [:]
    private var chainSuffixes: [RuleAndGroup: String] = [:]
    private var ruleLists: Set<[String]> = []

    mutating func match(_ pattern: ValuePattern, rule: Int, group: Int, name: String) -> Captures? {
        let key = RuleAndGroup(rule: rule, group: group)
        if let known = nameMatches[key] { return known }
        let result = pattern.match(name)
        nameMatches[key] = .some(result)
        return result
    }

    /// `rules` as an array already made for an earlier user, when there is one.
    mutating func shared(_ rules: [String]) -> [String] {
        guard !rules.isEmpty else { return rules }
        return ruleLists.insert(rules).memberAfterInsert
    }

    /// What follows the user in the chain of `rule` through a direct membership of `group`,
    /// made by `make` the first time.
    mutating func chainSuffix(rule: Int, group: Int, _ make: (inout MatchCache) -> String) -> String {
        let key = RuleAndGroup(rule: rule, group: group)
        if let known = chainSuffixes[key] { return known }
        let suffix = make(&self)
        chainSuffixes[key] = suffix
        return suffix
    }

    mutating func firstRDN(of group: Int, dn: String) -> String {
        if let known = firstRDNs[group] { return known }
        let rdn = DNText.firstRDN(dn)
        firstRDNs[group] = rdn
        return rdn
    }
}

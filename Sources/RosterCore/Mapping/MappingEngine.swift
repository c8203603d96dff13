/// Evaluates the mapping rules of one source against that source's users (SPEC §3, §4.3).
public struct MappingEngine: Sendable {
    public let source: String
    public let rules: [MappingRule]
    public let defaults: DefaultGrants
    public let scope: SyncScope

    public init(source: String, configuration: RosterConfiguration) {
        self.source = source
        self.rules = configuration.mappings.filter { $0.source == source }
        self.defaults = configuration.defaults
        self.scope = configuration.scope
    }

    /// One way a rule matched: the selector's captures and the path that led there.
    struct Match {
        var captures: Captures
        var chain: String
    }

    /// The mappings' verdict on `user`.
    public func evaluate(_ user: SourceUser, memberships: MembershipIndex) -> MappingEvaluation {
        let userMemberships = memberships.memberships(of: user)
        let matchesByRule = rules.map { matches(of: $0, for: user, memberships: userMemberships, index: memberships) }

        for (rule, matches) in zip(rules, matchesByRule) where rule.exclude && !matches.isEmpty {
            return MappingEvaluation(inScope: false, outOfScopeReason: "excluded by mapping \(rule.id)")
        }
        let selected = zip(rules, matchesByRule).contains { rule, matches in
            !rule.exclude && rule.selector != nil && !matches.isEmpty
        }
        if scope == .mapped && !selected {
            return MappingEvaluation(inScope: false, outOfScopeReason: MappingEvaluation.unmatched)
        }

        var evaluation = MappingEvaluation(inScope: true)
        var seen = Set<Assignment>()
        func grant(_ assignment: Assignment, chain: String) {
            if seen.insert(assignment).inserted {
                evaluation.assignments.append(assignment)
                evaluation.chains[assignment.key] = chain
            }
        }
        for (rule, matches) in zip(rules, matchesByRule) where !rule.exclude && !matches.isEmpty {
            evaluation.matchedRules.append(rule.id)
            let origin = AssignmentOrigin.mapping(id: rule.id, source: source)
            if let type = rule.type, type > (evaluation.type ?? .user) || evaluation.type == nil {
                evaluation.type = type
                evaluation.typeRule = rule.id
            }
            for match in matches {
                for role in rule.roles { grant(.role(role, origin: origin), chain: match.chain) }
                for group in rule.groups {
                    let name = group.name.render(match.captures)
                    guard !name.isEmpty else {
                        evaluation.warnings.append("mapping \(rule.id) made an empty group name from \"\(group.name)\"")
                        continue
                    }
                    grant(.group(name, role: group.role, origin: origin), chain: match.chain)
                }
                for project in rule.projects {
                    let name = project.name.render(match.captures)
                    guard !name.isEmpty else {
                        evaluation.warnings.append(
                            "mapping \(rule.id) made an empty project name from \"\(project.name)\"")
                        continue
                    }
                    grant(.project(name, role: project.role, origin: origin), chain: match.chain)
                }
            }
        }
        let defaultsOrigin = AssignmentOrigin.mapping(id: "defaults", source: source)
        for role in defaults.roles { grant(.role(role, origin: defaultsOrigin), chain: "\(user.label) → defaults") }
        if evaluation.type == nil, let type = defaults.type {
            evaluation.type = type
            evaluation.typeRule = "defaults"
        }
        return evaluation
    }

    /// Rule by rule, whether and how it matches `user`: the text of `roster config explain`.
    public func explain(_ user: SourceUser, memberships: MembershipIndex) -> [RuleExplanation] {
        let userMemberships = memberships.memberships(of: user)
        return rules.map { rule in
            let found = matches(of: rule, for: user, memberships: userMemberships, index: memberships)
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
        of rule: MappingRule, for user: SourceUser, memberships: [MembershipIndex.Membership], index: MembershipIndex
    ) -> [Match] {
        let arrow = "→ mapping \(rule.id)"
        guard let selector = rule.selector else {
            return [Match(captures: Captures(), chain: "\(user.label) \(arrow)")]
        }
        switch selector {
        case .group(let normalizedDN, _):
            return memberships.filter { index.groups[$0.group].normalizedDN == normalizedDN }.prefix(1).map {
                Match(captures: Captures(), chain: chain(user, $0, index, arrow))
            }
        case .groupName(let pattern):
            return memberships.compactMap { membership in
                pattern.match(index.groups[membership.group].name).map {
                    Match(captures: $0, chain: chain(user, membership, index, arrow))
                }
            }
        case .attribute(let name, let pattern):
            let values = user.attributes[name.lowercased()] ?? []
            return values.compactMap { value in
                pattern.match(value).map { Match(captures: $0, chain: "\(user.label): \(name)=\(value) \(arrow)") }
            }
        case .claim(let path, let pattern):
            guard let claims = user.claims else { return [] }
            return ClaimPath.strings(at: path, in: claims).compactMap { value in
                pattern.match(value).map { Match(captures: $0, chain: "\(user.label): \(path) ∋ \(value) \(arrow)") }
            }
        }
    }

    private func chain(
        _ user: SourceUser, _ membership: MembershipIndex.Membership, _ index: MembershipIndex, _ arrow: String
    ) -> String {
        let names = membership.path.map { DNText.firstRDN(index.groups[$0].dn) }
        return ([user.label] + names).joined(separator: " ← ") + " " + arrow
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

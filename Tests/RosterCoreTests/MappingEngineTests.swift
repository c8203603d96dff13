import Testing

@testable import RosterCore

struct MappingEngineTests {
    typealias F = Fixtures

    private func evaluate(
        _ rules: [MappingRule], user: SourceUser, groups: [SourceGroup], scope: SyncScope = .mapped,
        nested: Bool = true
    ) -> MappingEvaluation {
        let config = F.config(rules, scope: scope)
        var snapshot = F.snapshot([user], groups)
        snapshot.nestedGroups = nested
        return MappingEngine(source: "corp", configuration: config)
            .evaluate(user, memberships: MembershipIndex(snapshot: snapshot))
    }

    @Test func groupDNThroughNestedChainWithReasonChain() {
        let rules = [
            F.rule(
                "ml-admins", .group(normalizedDN: F.groupDN("ml-admins").lowercased(), written: "x"), type: .admin,
                roles: ["admin"])
        ]
        let groups = [
            F.group("ml-interns", ["alice"]), F.group("ml-core", ["@ml-interns"]), F.group("ml-admins", ["@ml-core"]),
        ]
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        #expect(result.inScope)
        #expect(result.type == .admin)
        #expect(result.assignments.roleNames == ["admin", "viewer"])
        let chain = result.chain(of: .role("admin", origin: .mapping(id: "ml-admins", source: "corp")))
        #expect(chain == "alice ← cn=ml-interns ← cn=ml-core ← cn=ml-admins → mapping ml-admins")
    }

    @Test func nestedOffMeansDirectOnly() {
        let rules = [
            F.rule(
                "ml-admins", .group(normalizedDN: F.groupDN("ml-admins").lowercased(), written: "x"), roles: ["admin"])
        ]
        let groups = [F.group("ml-core", ["alice"]), F.group("ml-admins", ["@ml-core"])]
        #expect(!evaluate(rules, user: F.user("alice"), groups: groups, nested: false).inScope)
        #expect(evaluate(rules, user: F.user("alice"), groups: groups, nested: true).inScope)
    }

    @Test func cyclesAreWalkedOnce() {
        let rules = [
            F.rule("cycle", .groupName(try! ValuePattern("cycle-*", ignoreCase: true)), groups: [("c-${1}", .member)])
        ]
        let groups = [F.group("cycle-a", ["alice", "@cycle-b"]), F.group("cycle-b", ["@cycle-a"])]
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        #expect(result.assignments.effectiveGroups.map(\.name) == ["c-a", "c-b"])
    }

    @Test func groupNameRegexCreatesOneGroupPerMatch() {
        let rules = [
            F.rule(
                "teams", .groupName(try! ValuePattern("^team-(?<team>[a-z0-9-]+)$", ignoreCase: true)),
                groups: [("team-${team}", .member)])
        ]
        let groups = [F.group("team-ml", ["alice"]), F.group("TEAM-data", ["alice"]), F.group("other", ["alice"])]
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        #expect(result.assignments.effectiveGroups.map(\.name) == ["team-data", "team-ml"])
    }

    @Test func manyGrantsAreEachKeptOnceInTheOrderMade() {
        // Past 16 grants repeats are found through a set rather than a scan: both must agree.
        let rules = [
            F.rule("teams", .groupName(try! ValuePattern("team-*", ignoreCase: true)), groups: [("${1}", .member)]),
            F.rule("again", .groupName(try! ValuePattern("team-*", ignoreCase: true)), groups: [("${1}", .member)]),
        ]
        let names = (0..<40).map { String(format: "g%02d", $0) }
        let groups = names.map { F.group("team-\($0)", ["alice"]) } + names.map { F.group("TEAM-\($0)", ["alice"]) }
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        let grants = result.assignments.filter { $0.kind == .group }
        #expect(grants.count == 80)
        #expect(Set(grants).count == 80)
        #expect(grants.filter { $0.origin == .mapping(id: "teams", source: "corp") }.map(\.name) == names)
        #expect(result.assignments.filter { $0.kind == .role }.map(\.name) == ["viewer"])
        #expect(result.matchedRules == ["teams", "again"])
    }

    @Test func groupAdminWinsOverMember() {
        let rules = [
            F.rule("teams", .groupName(try! ValuePattern("team-*", ignoreCase: true)), groups: [("${1}", .member)]),
            F.rule("leads", .groupName(try! ValuePattern("leads-*", ignoreCase: true)), groups: [("${1}", .admin)]),
        ]
        let groups = [F.group("team-ml", ["alice"]), F.group("leads-ml", ["alice"])]
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        #expect(result.assignments.effectiveGroups.map(\.role) == [.admin])
    }

    @Test func projectPrecedenceOwnerOverUserOverReadOnly() {
        let rules = [
            F.rule("readers", .groupName(try! ValuePattern("r", ignoreCase: true)), projects: [("vision", .readOnly)]),
            F.rule("owners", .groupName(try! ValuePattern("o", ignoreCase: true)), projects: [("vision", .owner)]),
            F.rule("users", .groupName(try! ValuePattern("u", ignoreCase: true)), projects: [("vision", .user)]),
        ]
        let groups = [F.group("r", ["alice"]), F.group("o", ["alice"]), F.group("u", ["alice"])]
        let result = evaluate(rules, user: F.user("alice"), groups: groups)
        #expect(result.assignments.effectiveProjects.map(\.role) == [.owner])
    }

    @Test func adminTypeWins() {
        let rules = [
            F.rule("a", .groupName(try! ValuePattern("a", ignoreCase: true)), type: .admin),
            F.rule("b", .groupName(try! ValuePattern("b", ignoreCase: true)), type: .user),
        ]
        let result = evaluate(rules, user: F.user("alice"), groups: [F.group("a", ["alice"]), F.group("b", ["alice"])])
        #expect(result.type == .admin)
    }

    @Test func attributeSelectorIsCaseInsensitive() {
        let rules = [
            F.rule(
                "research", .attribute(name: "departmentNumber", value: try! ValuePattern("r&d", ignoreCase: true)),
                roles: ["editor"])
        ]
        let user = F.user("alice", attributes: ["departmentnumber": ["R&D"]])
        #expect(evaluate(rules, user: user, groups: []).assignments.roleNames == ["editor", "viewer"])
    }

    @Test func claimSelectorIsExactUnlessIgnoreCase() {
        var user = F.user("alice")
        user.claims = .object(["realm_access": .object(["roles": .strings(["Proj-Vision-Owners", "x"])])])
        let exact = [
            F.rule(
                "p",
                .claim(
                    path: "realm_access.roles", value: try! ValuePattern("^proj-(?<p>.+)-owners$", ignoreCase: false)),
                projects: [("${p}", .owner)])
        ]
        #expect(!evaluate(exact, user: user, groups: []).inScope)
        let folded = [
            F.rule(
                "p",
                .claim(
                    path: "realm_access.roles", value: try! ValuePattern("^proj-(?<p>.+)-owners$", ignoreCase: true)),
                projects: [("${p}", .owner)])
        ]
        #expect(evaluate(folded, user: user, groups: []).assignments.effectiveProjects.map(\.name) == ["Vision"])
    }

    @Test func singleStringClaimCountsAsList() {
        var user = F.user("alice")
        user.claims = .object(["groups": .string("admins")])
        let rules = [
            F.rule("g", .claim(path: "groups", value: try! ValuePattern("admins", ignoreCase: false)), roles: ["admin"])
        ]
        #expect(evaluate(rules, user: user, groups: []).inScope)
    }

    @Test func excludeWinsOverEverything() {
        let rules = [
            F.rule("all", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["editor"]),
            F.rule("svc", .groupName(try! ValuePattern("service-accounts", ignoreCase: true)), exclude: true),
        ]
        let groups = [F.group("staff", ["svc"]), F.group("service-accounts", ["svc"])]
        let result = evaluate(rules, user: F.user("svc"), groups: groups)
        #expect(!result.inScope)
        #expect(result.outOfScopeReason == "excluded by mapping svc")
    }

    @Test func scopeMappedNeedsASelectorMatchScopeAllDoesNot() {
        let rules = [F.rule("everyone", roles: ["editor"])]
        #expect(!evaluate(rules, user: F.user("bob"), groups: [], scope: .mapped).inScope)
        let all = evaluate(rules, user: F.user("bob"), groups: [], scope: .all)
        #expect(all.inScope)
        #expect(all.assignments.roleNames == ["editor", "viewer"])
    }

    @Test func memberUidGroupsMatchUsernames() {
        let rules = [F.rule("posix", .groupName(try! ValuePattern("devs", ignoreCase: true)), roles: ["editor"])]
        let group = SourceGroup(
            dn: F.groupDN("devs"), normalizedDN: F.groupDN("devs"), name: "devs", members: ["Alice"])
        var snapshot = F.snapshot([F.user("alice")], [group])
        snapshot.membersAreUsernames = true
        let engine = MappingEngine(source: "corp", configuration: F.config(rules))
        #expect(engine.evaluate(F.user("alice"), memberships: MembershipIndex(snapshot: snapshot)).inScope)
    }

    @Test func explainSaysWhyNot() {
        let rules = [
            F.rule(
                "research", .attribute(name: "departmentNumber", value: try! ValuePattern("4711", ignoreCase: true)),
                roles: ["editor"])
        ]
        let engine = MappingEngine(source: "corp", configuration: F.config(rules))
        let user = F.user("alice", attributes: ["departmentnumber": ["42"]])
        let explanation = engine.explain(user, memberships: MembershipIndex(snapshot: F.snapshot([user])))
        #expect(explanation.first?.matched == false)
        #expect(explanation.first?.details.first?.contains("42") == true)
    }
}

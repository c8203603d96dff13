import Foundation
import Testing

@testable import RosterCore

/// A planned change works its reason chains out when they are read, from the source users
/// behind it: these are the texts the audit record and the JSON plan carry.
struct PlannerChainTests {
    typealias F = Fixtures

    let adminsRule = F.rule(
        "ml-admins", .groupName(try! ValuePattern("ml-admins", ignoreCase: true)), roles: ["admin"])
    let staffRule = F.rule("staff", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["editor"])
    let hrRule = F.rule(
        "hr-all", source: "hr", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["editor"])

    /// corp: bob read before alice; alice reaches ml-admins through ml-core. hr: alice in staff.
    private func sources(aliceInStaff: Bool = false) -> [SourceSnapshot] {
        let corp = F.snapshot(
            [F.user("bob"), F.user("alice")],
            [
                F.group("ml-core", ["alice"]), F.group("ml-admins", ["@ml-core"]),
                F.group("staff", aliceInStaff ? ["alice", "bob"] : ["bob"]),
            ])
        let hr = F.snapshot(
            [F.user("carol", id: "hr-0"), F.user("alice", id: "hr-1")], [F.group("staff", ["alice"])], source: "hr")
        return [corp, hr]
    }

    private var config: RosterConfiguration { F.config([adminsRule, staffRule, hrRule], sources: ["corp", "hr"]) }

    private func change(of username: String, in plan: Plan) -> UserChange {
        plan.changes.first { $0.after.username == username }!
    }

    @Test func aCreatedUsersChainsNameEachGrantThroughItsSourcesInKeyOrder() {
        let plan = F.plan(config, sources())
        let alice = change(of: "alice", in: plan)
        let expected = [
            "alice ← cn=ml-core ← cn=ml-admins → mapping ml-admins",  // role|admin|…@corp
            "alice ← cn=staff → mapping hr-all",  // role|editor|…@hr
            "alice → defaults",  // role|viewer, from both sources: once
        ]
        #expect(alice.action == .create)
        #expect(alice.chains == expected)
        // Worked out again on each read, from the same users: the same texts.
        #expect(alice.chains == expected)
        #expect(change(of: "bob", in: plan).chains == ["bob ← cn=staff → mapping staff", "bob → defaults"])
        let record = AuditEventBuilder.events(for: alice, actor: "sync")[0]
        #expect(record.reason?["chains"] == .strings(expected))
    }

    @Test func anUpdateExplainsOnlyTheGrantsItAdds() {
        let first = F.plan(config, sources())
        let directory = F.apply(first, to: [])
        let plan = F.plan(config, sources(aliceInStaff: true), directory: directory)
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes[0].chains == ["alice ← cn=staff → mapping staff"])
    }

    @Test func chainsSetOnAChangeReplaceTheWorkedOutOnes() {
        var alice = change(of: "alice", in: F.plan(config, sources()))
        alice.chains = ["given"]
        #expect(alice.chains == ["given"])
        let byHand = UserChange(
            action: .update, before: nil, after: alice.after, source: nil, mappings: [], chains: ["by hand"])
        #expect(byHand.chains == ["by hand"])
    }

    @Test func releasedChainSourcesLeaveEveryChangeWithoutChains() {
        let plan = F.plan(config, sources())
        #expect(!change(of: "alice", in: plan).chains.isEmpty)
        plan.releaseChainSources()
        #expect(plan.changes.allSatisfy { $0.chains.isEmpty })
        // What the planner read from is still the source of the rest of the change.
        #expect(change(of: "alice", in: plan).after.identities.map(\.source) == ["corp", "hr"])
    }

    @Test func aChangeWithoutSourceUsersHasNoChains() {
        let directory = F.apply(F.plan(config, sources()), to: [])
        // Alice leaves every source: her deactivation is nobody's grant.
        let corp = F.snapshot([F.user("bob")], [F.group("staff", ["bob"])])
        let hr = F.snapshot([F.user("carol", id: "hr-0")], source: "hr")
        let plan = F.plan(config, [corp, hr], directory: directory)
        #expect(change(of: "alice", in: plan).action == .deactivate)
        #expect(change(of: "alice", in: plan).chains == [])
    }
}

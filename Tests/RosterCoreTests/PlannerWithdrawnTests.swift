import Foundation
import Testing

@testable import RosterCore

private typealias F = Fixtures

/// Identities a source withdrew (an OIDC issuer's `invalid_grant`, claims past `claims_max_age`):
/// their grants from that source go, whatever `on_missing` does with the user.
struct PlannerWithdrawnTests {
    private func configuration(onMissing: OnMissing) -> RosterConfiguration {
        var configuration = F.config(
            [
                F.rule(
                    "admins", .claim(path: "groups", value: try! ValuePattern("admins", ignoreCase: false)),
                    roles: ["admin"])
            ])
        configuration.safety.onMissing = onMissing
        return configuration
    }

    private func signedIn(_ configuration: RosterConfiguration) -> [DirectoryUser] {
        var alice = F.user("alice")
        alice.claims = .object(["groups": .array([.string("admins")])])
        let plan = Planner(configuration: configuration, directory: [], now: F.now).plan([F.snapshot([alice])])
        return F.apply(plan, to: [])
    }

    private func withdrawn(_ reason: String = "the issuer answered invalid_grant") -> SourceSnapshot {
        var snapshot = F.snapshot([])
        snapshot.withdrawn = ["id-alice": reason]
        return snapshot
    }

    @Test(arguments: [OnMissing.deactivate, .keep])
    func withdrawnUsersLoseTheSourcesGrants(onMissing: OnMissing) throws {
        let configuration = configuration(onMissing: onMissing)
        let directory = signedIn(configuration)
        #expect(directory[0].assignments.contains { $0.name == "admin" })
        let plan = Planner(configuration: configuration, directory: directory, now: F.now).plan([withdrawn()])
        #expect(plan.frozenSources.isEmpty)
        let change = try #require(plan.changes.first)
        #expect(change.after.assignments.filter { $0.origin.source == "corp" }.isEmpty)
        #expect(change.note == "the issuer answered invalid_grant")
        #expect(change.after.status == (onMissing == .keep ? .active : .inactive))
    }

    @Test func aSourceWithOnlyWithdrawnUsersIsNotAnEmptyRead() {
        let configuration = configuration(onMissing: .deactivate)
        let directory = signedIn(configuration)
        let plan = Planner(configuration: configuration, directory: directory, now: F.now).plan([withdrawn()])
        #expect(plan.frozenSources.isEmpty)
        #expect(plan.count(.deactivate) == 1)
    }

    @Test func aWithdrawnUserAlreadyStrippedPlansNothing() {
        let configuration = configuration(onMissing: .deactivate)
        let first = Planner(configuration: configuration, directory: signedIn(configuration), now: F.now)
            .plan([withdrawn()])
        let directory = F.apply(first, to: signedIn(configuration))
        let second = Planner(configuration: configuration, directory: directory, now: F.now).plan([withdrawn()])
        #expect(second.isEmpty)
    }
}

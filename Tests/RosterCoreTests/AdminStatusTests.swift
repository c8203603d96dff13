import Foundation
import Testing

@testable import RosterCore

/// Bulk activate, deactivate and delete: all or nothing, and who holds a deactivation.
struct AdminStatusTests {
    let admin = AdminFixtures.admin()

    @Test func bulkChangesNothingWhenOneUserIsUnknownAndNamesIt() {
        let error = AdminFixtures.refusal { try admin.deactivate(["alice", "nobody", "bob", "ghost"]) }
        #expect(error?.description.hasPrefix("no user \"nobody\", \"ghost\": nothing was changed") == true)
    }

    @Test func deactivationByAnAdminIsMarkedAndAnInactiveUserIsTakenOver() throws {
        let outcome = try admin.deactivate(["alice", "erin", "carol", "alice"])
        #expect(outcome.changes.count == 2)
        let alice = try #require(outcome.changes.first { $0.after.id == 1 })
        #expect(alice.action == .deactivate)
        #expect(alice.after.status == .inactive)
        #expect(alice.after.deactivatedBy == .admin)
        let erin = try #require(outcome.changes.first { $0.after.id == 5 })
        #expect(erin.after.deactivatedBy == .admin)
        #expect(erin.after.deactivatedAt == Fixtures.now)
        #expect(outcome.messages.contains("carol@example.com is already inactive (deactivated by an admin)"))
    }

    @Test func activationClearsTheSuspensionAndRefusesTombstones() throws {
        let outcome = try admin.activate(["carol", "bob"])
        let carol = try #require(outcome.changes.first)
        #expect(carol.action == .reactivate)
        #expect(carol.after.status == .active)
        #expect(carol.after.deactivatedBy == nil)
        #expect(carol.after.deactivatedAt == nil)
        #expect(outcome.messages.contains("bob@example.com is already active"))
        let error = AdminFixtures.refusal { try admin.activate(["bob", "4"]) }
        #expect(error?.description.contains("user 4 is deleted") == true)
    }

    @Test func deletionMakesTheSameTombstoneAsTheRawPlannerRule() throws {
        let outcome = try admin.delete(["alice", "4"])
        #expect(outcome.changes.count == 1)
        let tombstone = try #require(outcome.changes.first?.after)
        #expect(tombstone == AdminFixtures.users[0].tombstone(at: Fixtures.now, by: .admin))
        #expect(tombstone.status == .deleted)
        #expect(tombstone.id == 1)
        #expect(tombstone.email.isEmpty && tombstone.username.isEmpty && tombstone.firstName.isEmpty)
        #expect(tombstone.identities.isEmpty && tombstone.assignments.isEmpty)
        #expect(tombstone.displayName == "Deleted User")
        #expect(outcome.messages.contains("user 4 is already deleted"))
        #expect(outcome.messages[0].contains("synced from corp"))
    }

    @Test func auditOfATakenOverDeactivationSaysWhoHoldsIt() throws {
        let outcome = try admin.deactivate(["erin"])
        let events = AdminAudit.events(for: outcome.changes[0], actor: "cli:ops")
        #expect(events.map(\.action) == ["user.deactivate"])
        #expect(events[0].actor == "cli:ops")
        #expect(events[0].changes?["deactivated_by"] == .array([.string("sync"), .string("admin")]))
        #expect(events[0].reason?["note"] == .string("held inactive by an admin"))
    }

    @Test func theAdminsSuspensionSurvivesAPlanWhoseSourceStillHasTheUser() throws {
        let configuration = AdminFixtures.configuration
        let snapshot = Fixtures.snapshot(
            [Fixtures.user("alice", id: "a-1")], [Fixtures.group("ml-admins", ["alice"])])
        let deactivated = try admin.deactivate(["alice"]).changes[0].after
        var users = AdminFixtures.users
        users[0] = deactivated
        let plan = Planner(configuration: configuration, directory: users, now: Fixtures.now).plan([snapshot])
        #expect(!plan.changes.contains { $0.action == .reactivate })
        let activated = try AdminFixtures.admin(users).activate(["alice"]).changes[0].after
        users[0] = activated
        let again = Planner(configuration: configuration, directory: users, now: Fixtures.now).plan([snapshot])
        #expect(!again.changes.contains { $0.after.id == 1 && $0.after.status != .active })
    }
}

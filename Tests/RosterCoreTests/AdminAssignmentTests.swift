import Foundation
import Testing

@testable import RosterCore

/// Manual roles and memberships next to mapped ones; one owner per project.
struct AdminAssignmentTests {
    let admin = AdminFixtures.admin()

    @Test func anUnknownRoleIsAUsageErrorListingTheRoles() {
        let error = AdminFixtures.refusal { try admin.grant("superuser", to: "bob") }
        #expect(
            error
                == .invalidInput(
                    "unknown role \"superuser\"; the roles defined in test.yaml are admin, analyst, no-export, viewer"))
    }

    @Test func grantAddsAManualAssignmentOnceEvenBesideAMappedOne() throws {
        let outcome = try admin.grant("admin", to: "alice")
        let after = try #require(outcome.changes.first?.after)
        #expect(after.assignments.filter { $0.kind == .role && $0.name == "admin" }.count == 2)
        #expect(outcome.messages == ["granted role admin to alice@example.com (also given by mapping:ml-admins@corp)"])
        let again = try AdminFixtures.admin([after]).grant("admin", to: "alice")
        #expect(again.changes.isEmpty)
        let scoped = try admin.grant("analyst", to: "bob", project: "vision")
        #expect(scoped.changes[0].after.assignments == [.role("analyst", project: "vision", origin: .manual)])
        let events = AdminAudit.events(for: scoped.changes[0], actor: "cli:ops")
        #expect(events.map(\.action) == ["role.grant"])
        #expect(events[0].changes?["project"] == .string("vision"))
    }

    @Test func aGrantInAProjectThatDoesNotExistIsRefused() {
        let error = AdminFixtures.refusal { try admin.grant("analyst", to: "bob", project: "visoin") }
        #expect(error?.description.hasPrefix("no project \"visoin\"") == true)
        #expect(error?.description.contains("vision") == true)
    }

    @Test func revokingAMappedRoleIsRefusedNamingTheMapping() {
        let error = AdminFixtures.refusal { try admin.revoke("admin", from: "alice") }
        #expect(
            error?.description.hasPrefix("role admin of alice@example.com comes from mapping:ml-admins@corp") == true)
        let missing = AdminFixtures.refusal { try admin.revoke("viewer", from: "bob") }
        #expect(missing?.description.contains("does not have role viewer") == true)
    }

    @Test func revokingAManualRoleKeepsTheMappedOneAndWorksOnInactiveUsers() throws {
        var users = AdminFixtures.users
        users[0].assignments.append(.role("admin", origin: .manual))
        users[2].assignments.append(.role("analyst", origin: .manual))
        let admin = AdminFixtures.admin(users)
        let outcome = try admin.revoke("admin", from: "alice")
        #expect(
            outcome.changes[0].after.assignments.contains(
                .role("admin", origin: .mapping(id: "ml-admins", source: "corp"))))
        #expect(!outcome.changes[0].after.assignments.contains(.role("admin", origin: .manual)))
        #expect(outcome.messages[0].contains("still has it through mapping:ml-admins@corp"))
        #expect(try admin.revoke("analyst", from: "carol").changes.count == 1)
        #expect(AdminFixtures.refusal { try admin.grant("analyst", to: "carol") } != nil)
    }

    @Test func aNewProjectOwnerDemotesThePreviousOneToUserInTheSameOutcome() throws {
        let outcome = try admin.setProjectRole("vision", for: "bob", role: .owner)
        #expect(outcome.changes.count == 2)
        let bob = outcome.changes[0].after
        #expect(bob.assignments == [.project("vision", role: .owner, origin: .manual)])
        let alice = outcome.changes[1].after
        #expect(
            alice.assignments.contains(.project("vision", role: .user, origin: .mapping(id: "owners", source: "corp"))))
        #expect(!alice.assignments.contains { $0.kind == .project && $0.detail == "owner" })
        #expect(outcome.messages[1] == "alice@example.com was owner of project vision and is now a user")
        let events = AdminAudit.events(for: outcome.changes[1], actor: "cli:ops")
        #expect(events.map(\.action) == ["project.set"])
        #expect(events[0].changes?["project_role"] == .array([.string("owner"), .string("user")]))
        #expect(events[0].reason?["note"] == .string("bob@example.com became owner of project vision"))
    }

    @Test func thePlannerKeepsTheManualOwnerAndTheDemotedOneStaysAUser() throws {
        let outcome = try admin.setProjectRole("vision", for: "bob", role: .owner)
        var users = AdminFixtures.users
        users[0] = outcome.changes[1].after
        users[1] = outcome.changes[0].after
        let snapshot = Fixtures.snapshot(
            [Fixtures.user("alice", id: "a-1", first: "Alice")],
            [Fixtures.group("ml-admins", ["alice"]), Fixtures.group("owners-vision", ["alice"])])
        users[0].lastName = "Test"
        let plan = Planner(configuration: AdminFixtures.configuration, directory: users, now: Fixtures.now).plan(
            [snapshot])
        #expect(plan.changes.isEmpty, "\(plan.changes.map { ($0.action, $0.after.assignments) })")
    }

    @Test func membershipsAreSetAndRemovedByHandOnly() throws {
        let set = try admin.setGroupRole("ml", for: "bob", role: .admin)
        #expect(set.changes[0].after.assignments == [.group("ml", role: .admin, origin: .manual)])
        #expect(AdminAudit.events(for: set.changes[0], actor: "cli:ops").map(\.action) == ["group.join"])
        let mapped = AdminFixtures.refusal { try admin.removeFromProject("vision", "alice") }
        #expect(mapped?.description.contains("comes from mapping:owners@corp") == true)
        let none = AdminFixtures.refusal { try admin.removeFromGroup("ml", "bob") }
        #expect(none?.description.contains("is not a member of group ml") == true)
        let removed = try AdminFixtures.admin([set.changes[0].after]).removeFromGroup("ml", "bob")
        #expect(removed.changes[0].after.assignments.isEmpty)
    }
}

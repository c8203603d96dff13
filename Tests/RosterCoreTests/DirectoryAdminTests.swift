import Foundation
import Testing

@testable import RosterCore

/// Local accounts and edits: what an admin may change, and the one-sentence refusals.
struct DirectoryAdminTests {
    let admin = AdminFixtures.admin()

    // MARK: - Create

    @Test func createsALocalUserWithTheEmailAsUsername() throws {
        let change = try admin.create(
            NewLocalUser(email: "new@example.com", hasPassword: true, mustChangePassword: true))
        #expect(change.action == .create)
        #expect(change.after.id == 0)
        #expect(change.after.origin == "local")
        #expect(change.after.username == "new@example.com")
        #expect(change.after.mustChangePassword)
        #expect(change.after.status == .active)
    }

    @Test(arguments: ["not-an-email", "a@b", "two@@example.com", "spa ce@example.com", ""])
    func refusesAnInvalidEmailAsUsage(_ email: String) {
        let error = AdminFixtures.refusal { try admin.create(NewLocalUser(email: email)) }
        guard case .invalidInput(let message)? = error else {
            Issue.record("expected invalid input, got \(String(describing: error))")
            return
        }
        #expect(message.contains("valid address"))
    }

    @Test func refusesADuplicateEmailCaseInsensitivelyButNotOneOfATombstone() throws {
        let error = AdminFixtures.refusal { try admin.create(NewLocalUser(email: "ALICE@Example.COM")) }
        #expect(
            error
                == .refused(
                    "email ALICE@Example.COM is already used by user 1 (alice@example.com); give another address, or change that user"
                ))
        var users = AdminFixtures.users
        users[3].email = "gone@example.com"  // a tombstone's email is free
        _ = try AdminFixtures.admin(users).create(NewLocalUser(email: "gone@example.com"))
    }

    @Test func refusesADuplicateUsernameAndATemporaryPasswordWithoutPassword() {
        let taken = AdminFixtures.refusal { try admin.create(NewLocalUser(email: "x@example.com", username: "BOB")) }
        #expect(taken?.description.contains("username BOB is already used by user 2") == true)
        let temporary = AdminFixtures.refusal {
            try admin.create(NewLocalUser(email: "x@example.com", mustChangePassword: true))
        }
        guard case .invalidInput? = temporary else {
            Issue.record("a temporary password without a password must be a usage error")
            return
        }
    }

    // MARK: - Edit

    @Test func editsALocalUsersFieldsAndTypeInOneUpdate() throws {
        let change = try #require(
            try admin.edit("bob", UserEdit(email: "robert@example.com", firstName: "Robert", type: .admin)))
        #expect(change.action == .update)
        #expect(change.after.email == "robert@example.com")
        #expect(change.after.firstName == "Robert")
        #expect(change.after.type == .admin)
        #expect(try admin.edit("bob", UserEdit(firstName: "Bob")) == nil)
    }

    @Test func aUsernameThatWasTheEmailFollowsIt() throws {
        var users = AdminFixtures.users
        users[1].username = "BOB@example.com"
        let change = try #require(try AdminFixtures.admin(users).edit("2", UserEdit(email: "rob@example.com")))
        #expect(change.after.username == "rob@example.com")
        let kept = try #require(try admin.edit("bob", UserEdit(email: "rob@example.com")))
        #expect(kept.after.username == "bob")
    }

    @Test func refusesEditingAnInactiveUser() {
        let error = AdminFixtures.refusal { try admin.edit("carol", UserEdit(firstName: "C")) }
        #expect(error?.description.contains("inactive: activate it first") == true)
    }

    @Test func refusesSourceOwnedFieldsNamingTheSourceAndMapping() {
        let name = AdminFixtures.refusal { try admin.edit("alice", UserEdit(lastName: "Smith")) }
        #expect(name?.description.contains("comes from source corp") == true)
        #expect(name?.description.contains("sources.corp.users.attributes.last_name: sn") == true)
        let type = AdminFixtures.refusal { try admin.edit("alice", UserEdit(type: .user)) }
        #expect(type?.description.contains("mapping:ml-admins@corp") == true)
        #expect(type?.description.contains("mapping:defaults@corp") == true)
        // The same value is no change, so nothing is owned.
        #expect(AdminFixtures.refusal { try admin.edit("alice", UserEdit(lastName: "Adams")) } == nil)
    }

    @Test func refusesAnEmailAnotherLiveUserHas() {
        let error = AdminFixtures.refusal { try admin.edit("bob", UserEdit(email: "Carol@example.com")) }
        #expect(error?.description.contains("already used by user 3") == true)
    }

    @Test func ownershipFollowsTheOriginThenTheFirstConfiguredSource() {
        let ownership = FieldOwnership(configuration: AdminFixtures.configuration)
        let users = AdminFixtures.users
        #expect(ownership.nameSource(for: users[0])?.name == "corp")
        #expect(ownership.nameSource(for: users[1]) == nil)
        #expect(ownership.owner(of: .email, for: users[1]) == nil)
        var moved = users[0]
        moved.origin = "gone"
        #expect(ownership.nameSource(for: moved)?.name == "corp")
        #expect(ownership.typeOrigins(for: users[1]).isEmpty)
    }
}

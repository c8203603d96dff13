import Foundation

@testable import RosterCore

/// A small directory for the admin tests: a synced admin, local users in each state, a tombstone.
enum AdminFixtures {
    static let corp = "corp"

    static var configuration: RosterConfiguration {
        var configuration = Fixtures.config([
            Fixtures.rule(
                "ml-admins",
                .group(normalizedDN: Fixtures.groupDN("ml-admins"), written: Fixtures.groupDN("ml-admins")),
                type: .admin, roles: ["admin"]),
            Fixtures.rule(
                "owners", .groupName(try! ValuePattern("owners-*", ignoreCase: true)), projects: [("${1}", .owner)]),
        ])
        configuration.roles = [
            RoleDefinition(name: "admin", description: "Run the platform", privileges: [("users", Privilege("crud")!)]),
            RoleDefinition(
                name: "analyst", privileges: [("datasets", Privilege("r")!), ("data.export", Privilege("r")!)]),
            RoleDefinition(name: "no-export", privileges: [("data.export", .deny)]),
            RoleDefinition(name: "viewer", privileges: [("projects", Privilege("r")!)]),
        ]
        return configuration
    }

    static var users: [DirectoryUser] {
        let mapped = AssignmentOrigin.mapping(id: "ml-admins", source: corp)
        return [
            DirectoryUser(
                id: 1, username: "alice", email: "alice@example.com", firstName: "Alice", lastName: "Adams",
                type: .admin, origin: corp,
                identities: [ExternalIdentity(source: corp, externalID: "a-1", dn: Fixtures.userDN("alice"))],
                assignments: [
                    .role("admin", origin: mapped), .role("viewer", origin: .mapping(id: "defaults", source: corp)),
                    .project("vision", role: .owner, origin: .mapping(id: "owners", source: corp)),
                ]),
            DirectoryUser(id: 2, username: "bob", email: "bob@example.com", firstName: "Bob"),
            DirectoryUser(
                id: 3, username: "carol", email: "carol@example.com", status: .inactive,
                deactivatedAt: Fixtures.now, deactivatedBy: .admin),
            DirectoryUser(id: 4, username: "", email: "", status: .deleted, deactivatedBy: .admin),
            DirectoryUser(
                id: 5, username: "erin", email: "erin@example.com", status: .inactive, origin: corp,
                identities: [ExternalIdentity(source: corp, externalID: "e-1")], deactivatedAt: Fixtures.now,
                deactivatedBy: .sync),
        ]
    }

    static func admin(_ users: [DirectoryUser] = users) -> DirectoryAdmin {
        DirectoryAdmin(configuration: configuration, users: users, now: Fixtures.now)
    }

    /// The message of the `AdminError` that `body` throws, or nil when it throws none.
    static func refusal(_ body: () throws -> Any?) -> AdminError? {
        do {
            _ = try body()
            return nil
        } catch let error as AdminError {
            return error
        } catch {
            return nil
        }
    }
}

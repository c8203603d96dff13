import Foundation
import Testing

@testable import RosterCore

/// Roles, groups, projects and privileges as the admin commands print them.
struct AdminPresentationTests {
    @Test func effectivePrivilegesLetADenyWinAndNameWhatItOverrides() throws {
        var user = AdminFixtures.users[1]
        user.assignments = [
            .role("analyst", origin: .mapping(id: "data", source: "corp")), .role("no-export", origin: .manual),
            .role("viewer", project: "vision", origin: .manual), .role("retired", origin: .manual),
        ]
        let privileges = UserPrivileges(user: user, roles: AdminFixtures.configuration.roles)
        #expect(privileges.global.roles == ["analyst", "no-export"])
        let export = try #require(privileges.global.effective.entries.first { $0.entity == "data.export" })
        #expect(export.denied)
        #expect(export.decidedBy == ["no-export"])
        #expect(privileges.global.overridden["data.export"] == ["analyst: r"])
        #expect(privileges.projects.map(\.project) == ["vision"])
        #expect(privileges.projects[0].roles == ["analyst", "no-export", "viewer"])
        #expect(privileges.undefinedRoles == ["retired"])
        let text = PrivilegeFormatter.table(privileges.global)
        #expect(text.contains("data.export  deny    no-export  (overrides analyst: r)"))
        #expect(text.contains("datasets     r       analyst"))
    }

    @Test func roleCatalogCountsLiveHoldersAndListsUndefinedRoles() {
        var users = AdminFixtures.users
        users[1].assignments = [.role("admin", origin: .manual), .role("admin", project: "x", origin: .manual)]
        users[3].assignments = [.role("admin", origin: .manual)]  // a tombstone never counts
        users[2].assignments = [.role("retired", origin: .manual)]
        let catalog = RoleCatalog(roles: AdminFixtures.configuration.roles, users: users)
        #expect(catalog.entries.map(\.name) == ["admin", "analyst", "no-export", "viewer", "retired"])
        #expect(catalog.entry(named: "admin")?.holders.map(\.user.id) == [1, 2])
        #expect(catalog.entry(named: "admin")?.holders[1].grants.count == 2)
        let table = RoleFormatter.listTable(catalog)
        #expect(table.contains("admin      1           2      Run the platform"))
        #expect(table.contains("retired    0           1      (not defined in the configuration)"))
        let json = RoleFormatter.listJSON(catalog)
        #expect(json["roles"] != nil)
    }

    @Test func groupsAndProjectsShowEffectiveRolesBestFirst() throws {
        var users = AdminFixtures.users
        users[1].assignments = [
            .group("ml", role: .member, origin: .mapping(id: "teams", source: "corp")),
            .group("ml", role: .admin, origin: .manual), .project("vision", role: .readOnly, origin: .manual),
        ]
        users[2].assignments = [.group("ml", role: .member, origin: .manual)]
        let groups = MembershipCatalog(.group, users: users)
        let ml = try #require(groups.entry(named: "ML"))
        #expect(ml.members.map(\.user.id) == [2, 3])
        #expect(ml.members[0].role == "admin")
        #expect(ml.members[0].grants.count == 2)
        #expect(MembershipFormatter.listTable(groups).contains("ml     2        1"))

        let projects = MembershipCatalog(.project, users: users)
        let vision = try #require(projects.entry(named: "vision"))
        #expect(vision.members.map(\.role) == ["owner", "read-only"])
        let list = MembershipFormatter.listTable(projects)
        #expect(list.contains("vision   alice@example.com  2        0      1"))
        #expect(MembershipFormatter.details(vision, kind: .project).contains("owner:   alice@example.com"))
        let json = MembershipFormatter.listJSON(projects)
        #expect(json["projects"] != nil)
    }

    @Test func passwordPolicyReadsOneLineAndRefusesShortOrMultiLinePasswords() {
        #expect(PasswordPolicy.fromInput("secret-pass\n") == "secret-pass")
        #expect(PasswordPolicy.fromInput("secret-pass\r\n") == "secret-pass")
        #expect(PasswordPolicy.fromInput("secret-pass\n\n") == "secret-pass\n")
        #expect(PasswordPolicy.fromInput(" spaced ") == " spaced ")
        #expect(PasswordPolicy.problem("correct horse") == nil)
        #expect(PasswordPolicy.problem("short")?.contains("at least 8") == true)
        #expect(PasswordPolicy.problem("") != nil)
        #expect(PasswordPolicy.problem("two\nlines here") != nil)
    }

    @Test func listFooterGroupsThousandsAndPagesCountFromOne() {
        let users = (1...1234).map { DirectoryUser(id: Int64($0), username: "u\($0)", email: "u\($0)@example.com") }
        let page = UserListQuery(sort: .id, page: 2).run(users)
        #expect(page.total == 1234)
        #expect(page.users.first?.id == 26)
        #expect(UserFormatter.table(page, all: false).hasSuffix("26–50 of 1,234"))
        let last = UserListQuery(sort: .id, descending: true, page: 50).run(users)
        #expect(last.users.map(\.id) == Array((1...9).reversed()))
        #expect(UserFormatter.table(last, all: false).hasSuffix("1,226–1,234 of 1,234"))
        let byOrigin = UserListQuery(sort: .origin, perPage: 1).run(users)
        #expect(byOrigin.users.count == 1)
    }

    @Test func detailsShowPrivilegesAndSessions() {
        var user = AdminFixtures.users[0]
        user.assignments.append(.role("no-export", origin: .manual))
        let text = UserFormatter.details(user, roles: AdminFixtures.configuration.roles)
        #expect(text.contains("privileges (Deny > Allow; roles admin, no-export, viewer):"))
        #expect(text.contains("sessions:    none recorded"))
        let json = UserFormatter.detailsJSON(user, roles: AdminFixtures.configuration.roles)
        #expect(json["sessions"] == .array([]))
        #expect(json["privileges"]?["roles"] == .strings(["admin", "no-export", "viewer"]))
    }
}

import Testing

@testable import RosterCore

/// What a user's grants come to: each name once, in order, with its highest role.
struct EffectiveAssignmentTests {
    let teams = AssignmentOrigin.mapping(id: "teams", source: "corp")

    @Test func eachNameOnceInOrderWithItsHighestRole() {
        let assignments: [Assignment] = [
            .role("viewer", origin: .manual), .group("ml", role: .admin, origin: teams),
            .project("zeta", role: .user, origin: teams), .role("admin", origin: teams),
            .group("data", role: .member, origin: teams), .group("ml", role: .member, origin: .manual),
            .project("zeta", role: .owner, origin: .manual), .project("apollo", role: .readOnly, origin: teams),
            .role("viewer", origin: teams), .project("zeta", role: .readOnly, origin: .manual),
        ]
        #expect(assignments.roleNames == ["admin", "viewer"])
        #expect(assignments.effectiveGroups.map(\.name) == ["data", "ml"])
        #expect(assignments.effectiveGroups.map(\.role) == [.member, .admin])
        #expect(assignments.effectiveProjects.map(\.name) == ["apollo", "zeta"])
        #expect(assignments.effectiveProjects.map(\.role) == [.readOnly, .owner])
        #expect([Assignment]().effectiveGroups.isEmpty)
    }
}

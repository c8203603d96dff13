import Foundation
import Testing

@testable import RosterCore

/// Every group a user is in comes once, with the shortest path to it, however many groups the
/// user is in (a scan finds repeats in a short list, a set in a long one).
struct MembershipIndexTests {
    static let userDN = "uid=ann,ou=people,dc=corp"

    /// Groups g0 … g(count-1) hold the user (the first and the last twice); every group is also in "parent", and
    /// "parent" in "top".
    static func snapshot(directGroups count: Int) -> SourceSnapshot {
        var groups = (0..<count).map { index in
            SourceGroup(
                dn: "cn=g\(index),dc=corp", normalizedDN: "cn=g\(index),dc=corp", name: "g\(index)",
                members: index == 0 || index == count - 1 ? [userDN, userDN] : [userDN])
        }
        groups.append(
            SourceGroup(
                dn: "cn=parent,dc=corp", normalizedDN: "cn=parent,dc=corp", name: "parent",
                members: (0..<count).map { "cn=g\($0),dc=corp" }))
        groups.append(
            SourceGroup(
                dn: "cn=top,dc=corp", normalizedDN: "cn=top,dc=corp", name: "top", members: ["cn=parent,dc=corp"]))
        return SourceSnapshot(
            source: "corp", users: [SourceUser(externalID: "1", normalizedDN: userDN, username: "ann")],
            groups: groups, nestedGroups: true)
    }

    @Test(arguments: [1, 15, 16, 17, 40])
    func eachGroupOnceWithItsShortestPath(directGroups: Int) {
        let snapshot = Self.snapshot(directGroups: directGroups)
        let memberships = MembershipIndex(snapshot: snapshot).memberships(of: snapshot.users[0])
        let names = memberships.map { snapshot.groups[$0.group].name }
        #expect(names == (0..<directGroups).map { "g\($0)" } + ["parent", "top"])
        for membership in memberships.prefix(directGroups) { #expect(membership.path == [membership.group]) }
        let parent = directGroups
        let top = directGroups + 1
        #expect(memberships.first { $0.group == parent }?.path == [0, parent])
        #expect(memberships.first { $0.group == top }?.path == [0, parent, top])
    }
}

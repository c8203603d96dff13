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

    /// `memberUid` values name users by username, compared folded; a value that happens to be a
    /// group's DN is then a user name like any other, not an edge.
    @Test func memberUidValuesAreFoldedUsernames() {
        let snapshot = SourceSnapshot(
            source: "corp",
            users: [SourceUser(externalID: "1", username: "Ann"), SourceUser(externalID: "2", username: "bob")],
            groups: [
                SourceGroup(dn: "cn=a,dc=corp", normalizedDN: "cn=a,dc=corp", name: "a", members: ["ANN", "bob"]),
                SourceGroup(dn: "cn=b,dc=corp", normalizedDN: "cn=b,dc=corp", name: "b", members: ["cn=a,dc=corp"]),
                SourceGroup(dn: "cn=c,dc=corp", normalizedDN: "cn=c,dc=corp", name: "c", members: ["ann"]),
            ], membersAreUsernames: true, nestedGroups: true)
        let index = MembershipIndex(snapshot: snapshot)
        #expect(index.memberships(of: snapshot.users[0]).map(\.group) == [0, 2])
        #expect(index.memberships(of: snapshot.users[1]).map(\.group) == [0])
    }

    /// Indexing only the snapshot's users keeps every edge between groups; an Active Directory
    /// user's primary group (named by SID, not by a member value) counts as a direct one.
    @Test func onlyItsUsersKeepsTheGroupGraphAndPrimaryGroups() {
        let carol = "uid=carol,dc=corp"
        let snapshot = SourceSnapshot(
            source: "corp",
            users: [SourceUser(externalID: "1", normalizedDN: Self.userDN, primaryGroupSID: "S-1-5-513")],
            groups: [
                SourceGroup(
                    dn: "cn=users,dc=corp", normalizedDN: "cn=users,dc=corp", name: "users", members: [carol],
                    securityID: "S-1-5-513"),
                SourceGroup(
                    dn: "cn=team,dc=corp", normalizedDN: "cn=team,dc=corp", name: "team", members: [carol, Self.userDN]),
                SourceGroup(
                    dn: "cn=all,dc=corp", normalizedDN: "cn=all,dc=corp", name: "all",
                    members: ["cn=team,dc=corp", carol]),
            ], nestedGroups: true)
        let index = MembershipIndex(snapshot: snapshot, onlyItsUsers: true)
        let memberships = index.memberships(of: snapshot.users[0])
        #expect(memberships.map(\.group) == [1, 0, 2])
        #expect(memberships.last?.path == [1, 2])
        #expect(index.memberships(of: SourceUser(externalID: "2", normalizedDN: carol)).isEmpty)
        #expect(
            MembershipIndex(snapshot: snapshot).memberships(of: SourceUser(externalID: "2", normalizedDN: carol)).map(
                \.group) == [0, 1, 2])
    }
}

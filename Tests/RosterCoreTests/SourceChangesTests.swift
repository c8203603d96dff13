import Testing

@testable import RosterCore

/// Merging an incremental read into the cached snapshot gives what a full read would.
struct SourceChangesTests {
    private func user(_ id: String, _ name: String) -> SourceUser {
        SourceUser(externalID: id, dn: "uid=\(name),ou=people", normalizedDN: "uid=\(name),ou=people", username: name)
    }

    private func group(_ id: String, _ name: String, _ members: [String]) -> SourceGroup {
        SourceGroup(
            dn: "cn=\(name),ou=groups", normalizedDN: "cn=\(name),ou=groups", name: name, members: members,
            externalID: id)
    }

    private var cached: SourceSnapshot {
        SourceSnapshot(
            source: "corp", users: [user("1", "ann"), user("2", "bob"), user("3", "cy")],
            groups: [group("g1", "staff", ["uid=ann,ou=people"]), group("g2", "ops", [])])
    }

    @Test func changedEntriesReplaceInPlaceNewOnesComeLastRemovedOnesGo() {
        let changes = SourceChanges(
            users: [user("2", "robert"), user("4", "dee")], groups: [group("g2", "ops", ["uid=dee,ou=people"])],
            removed: ["3", "g1"])
        let merged = cached.merging(changes)
        #expect(merged.users.map(\.username) == ["ann", "robert", "dee"])
        #expect(merged.groups.map(\.name) == ["ops"])
        #expect(merged.groups.first?.members == ["uid=dee,ou=people"])
    }

    @Test func aPresentListDropsEveryUnlistedUnchangedEntryOfItsKind() {
        let changes = SourceChanges(users: [user("2", "bob")], presentUsers: ["1"], presentGroups: nil)
        let merged = cached.merging(changes)
        #expect(merged.users.map(\.externalID) == ["1", "2"])
        #expect(merged.groups.count == 2)  // no present list for groups: unchanged ones stay
        let groupsOnly = cached.merging(SourceChanges(presentGroups: ["g2"]))
        #expect(groupsOnly.users.count == 3)
        #expect(groupsOnly.groups.map(\.externalID) == ["g2"])
    }

    @Test func groupsWithoutAnIdAreKeyedByDN() {
        var snapshot = cached
        snapshot.groups = [SourceGroup(dn: "cn=x", normalizedDN: "cn=x", name: "x", members: [])]
        let merged = snapshot.merging(SourceChanges(removed: ["cn=x"]))
        #expect(merged.groups.isEmpty)
    }

    @Test func primaryGroupsCountAsMembership() {
        var snapshot = cached
        var primary = group("g3", "Domain Users", [])
        primary.securityID = "S-1-5-21-1-2-3-513"
        snapshot.groups.append(primary)
        var ann = snapshot.users[0]
        ann.primaryGroupSID = "S-1-5-21-1-2-3-513"
        let index = MembershipIndex(snapshot: snapshot)
        let names = index.memberships(of: ann).map { index.groups[$0.group].name }
        #expect(Set(names) == ["staff", "Domain Users"])
        #expect(index.memberships(of: snapshot.users[1]).isEmpty)
    }
}

extension SourceChangesTests {
    @Test func cachedGroupsFollowRenamesOnlyWhereTheServerRewritesMembers() {
        let cachedGroup = group("g1", "staff", ["uid=ann,ou=people", "uid=bob,ou=people"])
        var snapshot = SourceSnapshot(
            source: "corp", users: [user("1", "ann"), user("2", "bob")], groups: [cachedGroup])
        snapshot.groups.append(group("g2", "ops", ["uid=ann,ou=people"]))
        var changes = SourceChanges(
            users: [user("1", "anna")], groups: [group("g2", "ops", ["uid=anna,ou=people", "uid=bob,ou=people"])])
        // OpenLDAP without refint: the group keeps the old DN, as a full read would show it.
        #expect(snapshot.merging(changes).groups[0].members == cachedGroup.members)
        changes.membersFollowRenames = true
        let merged = snapshot.merging(changes)
        #expect(merged.groups[0].members == ["uid=anna,ou=people", "uid=bob,ou=people"])
        // A group the server sent is taken as sent.
        #expect(merged.groups[1].members == ["uid=anna,ou=people", "uid=bob,ou=people"])
    }
}

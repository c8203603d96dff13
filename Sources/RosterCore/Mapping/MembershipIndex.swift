/// Which groups each user of one snapshot belongs to, directly or through chains of groups.
///
/// Built once per source per run from the group graph that run read; cycles in the data are
/// allowed and never looped on (each walk keeps a visited set).
public final class MembershipIndex {
    /// A group a user belongs to and the path that leads there, from the user's direct group
    /// (first) to the group itself (last).
    public struct Membership: Sendable, Hashable {
        public var group: Int
        public var path: [Int]
    }

    public let groups: [SourceGroup]
    private let nested: Bool
    private let membersAreUsernames: Bool
    /// Each member value's node: a group's DN gives `-(index + 1)`, any other value its slot in
    /// `directGroupStarts`. One table, so a member value is hashed once, not once to ask whether
    /// it is a group and again to file it.
    private let nodeByMemberKey: [String: Int]
    /// The groups a member value is directly in: slot `s`'s are `directGroupList[start[s]..<start[s + 1]]`,
    /// in group order. Flat, where an array per member value was two allocations per user.
    private let directGroupStarts: [Int]
    private let directGroupList: [Int]
    /// Active Directory primary groups, by `objectSid`.
    private let groupIndexBySID: [String: Int]
    private let parentsOfGroup: [[Int]]
    private var ancestorCache: [Int: [Membership]] = [:]
    /// `[group]` for each group: the path of a direct membership, made once and shared by every
    /// member rather than allocated for each user's each group.
    private let directPaths: [[Int]]

    /// - Parameter onlyItsUsers: index only the memberships of `snapshot.users`, not of every
    ///   member value: a snapshot of the few people a run touches still holds every group.
    public init(snapshot: SourceSnapshot, onlyItsUsers: Bool = false) {
        groups = snapshot.groups
        nested = snapshot.nestedGroups
        let usernames = snapshot.membersAreUsernames
        membersAreUsernames = usernames
        directPaths = snapshot.groups.indices.map { [$0] }
        // Built in locals (a class's properties are checked for exclusive access at each use)
        // and sized up front: grown by doubling, the table of a large directory was rehashed a
        // dozen times, every DN hashed again at each.
        var nodes: [String: Int] = [:]
        nodes.reserveCapacity(
            groups.count + (onlyItsUsers ? snapshot.users.count : max(snapshot.users.count, groups.count)))
        var parents: [[Int]] = Array(repeating: [], count: groups.count)
        var indexBySID: [String: Int] = [:]
        for (index, group) in groups.enumerated() {
            // A member DN naming a group is an edge of the group graph; anything else is a user.
            if !usernames { nodes[group.normalizedDN] = -(index + 1) }
            if let sid = group.securityID { indexBySID[sid] = index }
        }
        let wanted: Set<String>? =
            onlyItsUsers
            ? Set(snapshot.users.compactMap { usernames ? $0.username.map(LDAPText.fold) : $0.normalizedDN })
            : nil
        // Each direct membership as (slot, group), then sorted into the flat list by slot.
        var directMemberships: [(slot: Int32, group: Int32)] = []
        directMemberships.reserveCapacity(groups.reduce(0) { $0 + $1.members.count })
        var countBySlot: [Int] = []
        for (index, group) in groups.enumerated() {
            for member in group.members {
                let key = Self.memberKey(member, usernames: usernames)
                let node: Int
                if let known = nodes[key] {
                    node = known
                } else if let wanted, !wanted.contains(key) {
                    continue
                } else {
                    node = countBySlot.count
                    nodes[key] = node
                    countBySlot.append(0)
                }
                if node < 0 {
                    let child = -node - 1
                    if child != index { parents[child].append(index) }
                    continue
                }
                countBySlot[node] += 1
                directMemberships.append((Int32(node), Int32(index)))
            }
        }
        var starts = [0]
        starts.reserveCapacity(countBySlot.count + 1)
        for count in countBySlot { starts.append(starts.last! + count) }
        var next = starts
        var list = Array(repeating: 0, count: directMemberships.count)
        for membership in directMemberships {
            list[next[Int(membership.slot)]] = Int(membership.group)
            next[Int(membership.slot)] += 1
        }
        nodeByMemberKey = nodes
        groupIndexBySID = indexBySID
        parentsOfGroup = parents
        directGroupStarts = starts
        directGroupList = list
    }

    /// Every group `user` is in, each once, with the shortest path that reaches it.
    public func memberships(of user: SourceUser) -> [Membership] {
        var direct: ArraySlice<Int> = []
        if let key = userKey(user), let slot = nodeByMemberKey[key], slot >= 0 {
            direct = directGroupList[directGroupStarts[slot]..<directGroupStarts[slot + 1]]
        }
        // AD leaves the primary group (Domain Users…) out of its `member` values.
        if let sid = user.primaryGroupSID, let primary = groupIndexBySID[sid] { direct.append(primary) }
        guard !direct.isEmpty else { return [] }
        // Most users are in a handful of groups, where a scan finds a repeat faster than a set
        // would; the set is built only for a long list.
        var seen = Set<Int>()
        var result: [Membership] = []
        result.reserveCapacity(direct.count)
        func isNew(_ group: Int) -> Bool {
            if result.count < 16 { return !result.contains { $0.group == group } }
            if seen.isEmpty { seen = Set(result.map(\.group)) }
            return seen.insert(group).inserted
        }
        for group in direct where isNew(group) {
            result.append(Membership(group: group, path: directPaths[group]))
        }
        guard nested else { return result }
        for group in direct {
            for ancestor in ancestors(of: group) where isNew(ancestor.group) {
                result.append(Membership(group: ancestor.group, path: [group] + ancestor.path))
            }
        }
        return result
    }

    /// Groups containing `group` through one or more links, breadth first (shortest paths).
    private func ancestors(of group: Int) -> [Membership] {
        if let cached = ancestorCache[group] { return cached }
        var result: [Membership] = []
        var visited: Set<Int> = [group]
        var queue: [(Int, [Int])] = [(group, [])]
        var head = 0
        while head < queue.count {
            let (current, path) = queue[head]
            head += 1
            for parent in parentsOfGroup[current] where visited.insert(parent).inserted {
                let extended = path + [parent]
                result.append(Membership(group: parent, path: extended))
                queue.append((parent, extended))
            }
        }
        ancestorCache[group] = result
        return result
    }

    /// The member value that names `user`: its normalised DN, or its folded username.
    private func userKey(_ user: SourceUser) -> String? {
        membersAreUsernames ? user.username.map(LDAPText.fold) : user.normalizedDN
    }

    private static func memberKey(_ member: String, usernames: Bool) -> String {
        usernames ? LDAPText.fold(member) : member
    }
}

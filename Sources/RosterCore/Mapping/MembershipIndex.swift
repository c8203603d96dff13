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
    private var directGroupsByMemberKey: [String: [Int]] = [:]
    /// Active Directory primary groups, by `objectSid`.
    private var groupIndexBySID: [String: Int] = [:]
    private var parentsOfGroup: [[Int]]
    private var ancestorCache: [Int: [Membership]] = [:]
    /// `[group]` for each group: the path of a direct membership, made once and shared by every
    /// member rather than allocated for each user's each group.
    private let directPaths: [[Int]]

    /// - Parameter onlyItsUsers: index only the memberships of `snapshot.users`, not of every
    ///   member value: a snapshot of the few people a run touches still holds every group.
    public init(snapshot: SourceSnapshot, onlyItsUsers: Bool = false) {
        groups = snapshot.groups
        nested = snapshot.nestedGroups
        membersAreUsernames = snapshot.membersAreUsernames
        parentsOfGroup = Array(repeating: [], count: snapshot.groups.count)
        directPaths = snapshot.groups.indices.map { [$0] }
        var groupIndexByDN: [String: Int] = [:]
        for (index, group) in groups.enumerated() {
            groupIndexByDN[group.normalizedDN] = index
            if let sid = group.securityID { groupIndexBySID[sid] = index }
        }
        let wanted: Set<String>? =
            onlyItsUsers
            ? Set(
                snapshot.users.compactMap {
                    snapshot.membersAreUsernames ? $0.username.map(LDAPText.fold) : $0.normalizedDN
                })
            : nil
        for (index, group) in groups.enumerated() {
            for member in group.members {
                // A member DN naming a group is an edge of the group graph; anything else is a user.
                if !membersAreUsernames, let child = groupIndexByDN[member] {
                    if child != index { parentsOfGroup[child].append(index) }
                } else if let wanted, !wanted.contains(memberKey(member)) {
                    continue
                } else {
                    directGroupsByMemberKey[memberKey(member), default: []].append(index)
                }
            }
        }
    }

    /// Every group `user` is in, each once, with the shortest path that reaches it.
    public func memberships(of user: SourceUser) -> [Membership] {
        var direct = userKey(user).flatMap { directGroupsByMemberKey[$0] } ?? []
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
        membersAreUsernames ? user.username.map(memberKey) : user.normalizedDN
    }

    private func memberKey(_ member: String) -> String {
        membersAreUsernames ? LDAPText.fold(member) : member
    }
}

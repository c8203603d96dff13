/// What changed in one source since the last run, in the terms `TouchedPeople` starts from.
public struct SourceDelta: Sendable {
    public var source: String
    /// Added or changed users, as they are now.
    public var changedUsers: [SourceUser]
    /// External ids of users that are gone.
    public var removedUsers: Set<String>
    /// Members of groups that changed or went (in their old or new form, through nested groups):
    /// every user among them may gain or lose a group.
    public var memberKeys: Set<String>
    /// SIDs of changed groups that are some users' primary group (Active Directory).
    public var primaryGroupSIDs: Set<String>

    public init(
        source: String, changedUsers: [SourceUser] = [], removedUsers: Set<String> = [], memberKeys: Set<String> = [],
        primaryGroupSIDs: Set<String> = []
    ) {
        self.source = source
        self.changedUsers = changedUsers
        self.removedUsers = removedUsers
        self.memberKeys = memberKeys
        self.primaryGroupSIDs = primaryGroupSIDs
    }

    public var isEmpty: Bool {
        changedUsers.isEmpty && removedUsers.isEmpty && memberKeys.isEmpty && primaryGroupSIDs.isEmpty
    }
}

/// The users a change of groups can reach.
public enum GroupReach {
    /// Member values (user DNs or usernames) under the groups named by `changed` (merge keys), in
    /// their old form (`old`) and new one (`new`), following nested groups in both when `nested`.
    public static func memberKeys(
        changed: Set<String>, old: [SourceGroup], new: [SourceGroup], nested: Bool, membersAreUsernames: Bool
    ) -> (members: Set<String>, securityIDs: Set<String>) {
        guard !changed.isEmpty else { return ([], []) }
        // Both forms of each group take part: what it held and what it holds now.
        let groups = old + new
        var byKey: [String: [Int]] = [:]
        var byDN: [String: [Int]] = [:]
        for (index, group) in groups.enumerated() {
            byKey[group.mergeKey, default: []].append(index)
            byDN[group.normalizedDN, default: []].append(index)
        }
        var members = Set<String>()
        var securityIDs = Set<String>()
        var visited = Set<Int>()
        var queue = changed.flatMap { byKey[$0] ?? [] }
        while let index = queue.popLast() {
            guard visited.insert(index).inserted else { continue }
            let group = groups[index]
            if let sid = group.securityID { securityIDs.insert(sid) }
            for member in group.members {
                // A member naming a group is an edge of the graph, never a user (as `MembershipIndex`).
                if !membersAreUsernames, let children = byDN[member] {
                    if nested { queue += children }
                } else {
                    members.insert(membersAreUsernames ? LDAPText.fold(member) : member)
                }
            }
        }
        return (members, securityIDs)
    }
}

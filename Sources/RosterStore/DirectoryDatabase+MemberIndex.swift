import Foundation
import RosterCore

/// The cache's member index: which cached groups hold a member value. A run whose changes touch
/// a few users but no group loads the groups those users are in (and, for nested groups, the
/// groups holding those), not every group of the source with its member list.
///
/// Member values are kept folded (`LDAPText.fold`) and looked up folded, so a lookup may find a
/// group whose value differs only in case: callers get a superset and compare exactly themselves.
extension DirectoryDatabase {
    // MARK: - Lookups

    /// The cached groups of `source` that hold any of `memberKeys` (user DNs or `memberUid`
    /// names) or whose SID is one of `securityIDs` (primary groups) and, with `nested`, every
    /// group holding one of those through a chain of groups; in cache order.
    ///
    /// Each group comes with only the member values that led here: those among `memberKeys`, and
    /// the DNs of the groups found that it holds. That is all the memberships of `memberKeys`
    /// depend on, and reading it from the index costs a fraction of decoding whole member lists.
    public func cachedGroups(
        _ source: String, reaching memberKeys: Set<String>, securityIDs: Set<String> = [], nested: Bool
    ) throws -> [SourceGroup] {
        var found: [String: (position: Int64, group: SourceGroup)] = [:]
        var members: [String: Set<String>] = [:]
        var wanted = try holders(source, of: Set(memberKeys.map(LDAPText.fold)), members: &members)
        if !securityIDs.isEmpty {
            try statement(
                "SELECT id FROM source_groups WHERE source = ? AND security_id IN (SELECT value FROM json_each(?))"
            ).query([.text(source), .text(Self.jsonArray(securityIDs))]) { wanted.insert($0.text(0) ?? "") }
        }
        while !wanted.isEmpty {
            let groups = try cachedGroupHeaders(source, ids: wanted)
            for entry in groups { found[entry.group.mergeKey] = entry }
            guard nested else { break }
            // A group is a member of another by its DN: those holding the groups just found.
            wanted = try holders(
                source, of: Set(groups.map { LDAPText.fold($0.group.normalizedDN) }), members: &members
            )
            .filter { found[$0] == nil }
        }
        return found.values.sorted { $0.position < $1.position }.map { entry in
            var group = entry.group
            group.members = (members[group.mergeKey] ?? []).sorted()
            return group
        }
    }

    /// The ids of the cached groups of `source`, or of those among `ids`.
    public func cachedGroupIDs(_ source: String, among ids: Set<String>? = nil) throws -> Set<String> {
        var found = Set<String>()
        if let ids {
            guard !ids.isEmpty else { return [] }
            try statement("SELECT id FROM source_groups WHERE source = ? AND id IN (SELECT value FROM json_each(?))")
                .query([.text(source), .text(Self.jsonArray(ids))]) { found.insert($0.text(0) ?? "") }
        } else {
            try statement("SELECT id FROM source_groups WHERE source = ?").query([.text(source)]) {
                found.insert($0.text(0) ?? "")
            }
        }
        return found
    }

    /// Ids of the cached groups holding any of the folded member values `keys`; adds the values
    /// as each group holds them to `members`.
    private func holders(_ source: String, of keys: Set<String>, members: inout [String: Set<String>]) throws
        -> Set<String>
    {
        guard !keys.isEmpty else { return [] }
        var ids = Set<String>()
        try statement(
            """
            SELECT group_id, coalesce(nullif(value, ''), member) FROM source_members
            WHERE source = ? AND member IN (SELECT value FROM json_each(?))
            """
        ).query([.text(source), .text(Self.jsonArray(keys))]) { row in
            let id = row.text(0) ?? ""
            ids.insert(id)
            members[id, default: []].insert(row.text(1) ?? "")
        }
        return ids
    }

    /// The cached groups of `source` with these ids, without their members, each with its place
    /// in the cache.
    private func cachedGroupHeaders(_ source: String, ids: Set<String>) throws
        -> [(position: Int64, group: SourceGroup)]
    {
        var groups: [(position: Int64, group: SourceGroup)] = []
        try statement(
            """
            SELECT external_id, dn, normalized_dn, name, security_id, rowid FROM source_groups
            WHERE source = ? AND id IN (SELECT value FROM json_each(?))
            """
        ).query([.text(source), .text(Self.jsonArray(ids))]) { row in
            groups.append(
                (
                    row.int64(5),
                    SourceGroup(
                        dn: row.text(1) ?? "", normalizedDN: row.text(2) ?? "", name: row.text(3) ?? "", members: [],
                        externalID: row.text(0) ?? "", securityID: row.text(4))
                ))
        }
        return groups
    }

    // MARK: - Writes (inside the cache write's transaction)

    /// Forgets the member values of the cached group `id` of `source`, as the cache holds them.
    func deleteMemberIndex(_ source: String, groupID id: String) throws {
        var members: [String] = []
        try statement("SELECT members FROM source_groups WHERE source = ? AND id = ?")
            .query([.text(source), .text(id)]) { row in members = row.withText(0, MemberList.decode) ?? [] }
        let delete = try statement("DELETE FROM source_members WHERE source = ? AND member = ? AND group_id = ?")
        for key in Set(members.map(LDAPText.fold)) {
            try delete.execute([.text(source), .text(key), .text(id)])
        }
    }

    /// Adds the member values of `groups` to the index (their old values already deleted).
    func insertMemberIndex(_ source: String, groups: [SourceGroup]) throws {
        var insert = BatchedInsert(
            // A value listed twice is one row; any other constraint failing still fails the write.
            self, "INSERT INTO source_members (source, member, group_id, value)", columnCount: 4,
            suffix: "ON CONFLICT DO NOTHING")
        for group in groups {
            for member in group.members {
                let key = LDAPText.fold(member)
                try insert.addRow { row in
                    row.text(source)
                    row.text(key)
                    row.text(group.mergeKey)
                    row.text(key == member ? "" : member)
                }
            }
        }
        try insert.flush()
    }
}

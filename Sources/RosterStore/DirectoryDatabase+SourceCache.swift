import Foundation
import RosterCore

/// The per-source cache behind incremental reads: the entries of the source as of its cookie.
///
/// The cache and its cookie are written together, in one transaction, and apart from the
/// directory: the planner always compares a whole snapshot (cache plus changes) with the
/// directory, so a run that read changes and then failed to apply them still applies them next
/// time from the cache.
extension DirectoryDatabase {
    /// What is kept of a source between runs.
    public struct SourceCacheState: Sendable {
        public var cookie: String
        /// When the cached entries were last read in full.
        public var fullReadAt: Date
    }

    private static let cookieKey = "cookie"
    private static let fullReadKey = "full_read_at"

    /// The cookie and the time of the last full read, or nil when the source has no cache.
    public func sourceCacheState(_ source: String) throws -> SourceCacheState? {
        guard let cookie = try sourceState(source, key: Self.cookieKey),
            let text = try sourceState(source, key: Self.fullReadKey), let fullReadAt = StoreTime.date(from: text)
        else { return nil }
        return SourceCacheState(cookie: cookie, fullReadAt: fullReadAt)
    }

    /// The cached users and groups of `source`.
    public func cachedEntries(_ source: String) throws -> (users: [SourceUser], groups: [SourceGroup]) {
        let decoder = JSONDecoder()
        var users: [SourceUser] = []
        try statement(
            """
            SELECT id, dn, normalized_dn, username, email, first_name, last_name, disabled, primary_group_sid,
                   attributes
            FROM source_users WHERE source = ? ORDER BY rowid
            """
        ).query([.text(source)]) { row in
            let attributes = try row.text(9).map {
                try Self.decode([String: [String]].self, $0, decoder, source: source)
            }
            users.append(
                SourceUser(
                    externalID: row.text(0) ?? "", dn: row.text(1), normalizedDN: row.text(2), username: row.text(3),
                    email: row.text(4), firstName: row.text(5), lastName: row.text(6), disabled: row.bool(7),
                    attributes: attributes ?? [:], primaryGroupSID: row.text(8)))
        }
        var groups: [SourceGroup] = []
        try statement(
            """
            SELECT external_id, dn, normalized_dn, name, security_id, members
            FROM source_groups WHERE source = ? ORDER BY rowid
            """
        ).query([.text(source)]) { row in
            let members = try Self.decode([String].self, row.text(5) ?? "[]", decoder, source: source)
            groups.append(
                SourceGroup(
                    dn: row.text(1) ?? "", normalizedDN: row.text(2) ?? "", name: row.text(3) ?? "", members: members,
                    externalID: row.text(0) ?? "", securityID: row.text(4)))
        }
        return (users, groups)
    }

    /// Replaces the cache of `source` with a full read and its cookie.
    public func replaceSourceCache(
        _ source: String, users: [SourceUser], groups: [SourceGroup], cookie: String, fullReadAt: Date
    ) throws {
        try connection.transaction {
            try statement("DELETE FROM source_users WHERE source = ?").execute([.text(source)])
            try statement("DELETE FROM source_groups WHERE source = ?").execute([.text(source)])
            try store(source, users: users, groups: groups)
            try setSourceState(source, key: Self.cookieKey, value: cookie, now: fullReadAt)
            try setSourceState(source, key: Self.fullReadKey, value: fullReadAt.storeText, now: fullReadAt)
        }
    }

    /// Writes an incremental read into the cache: changed entries replaced, gone ones removed
    /// (`removed` are the ids as `SourceChanges` and `SourceGroup.mergeKey` name them), and the
    /// new cookie.
    public func updateSourceCache(
        _ source: String, changed users: [SourceUser], _ groups: [SourceGroup], removed: Set<String>, cookie: String,
        now: Date = Date()
    ) throws {
        try connection.transaction {
            let deleteUser = try statement("DELETE FROM source_users WHERE source = ? AND id = ?")
            let deleteGroup = try statement("DELETE FROM source_groups WHERE source = ? AND id = ?")
            for id in removed {
                try deleteUser.execute([.text(source), .text(id)])
                try deleteGroup.execute([.text(source), .text(id)])
            }
            try store(source, users: users, groups: groups)
            try setSourceState(source, key: Self.cookieKey, value: cookie, now: now)
        }
    }

    /// Forgets the cache of `source` (a full read that offered no cookie): the next read is full.
    public func clearSourceCache(_ source: String) throws {
        try connection.transaction {
            try statement("DELETE FROM source_users WHERE source = ?").execute([.text(source)])
            try statement("DELETE FROM source_groups WHERE source = ?").execute([.text(source)])
            try setSourceState(source, key: Self.cookieKey, value: nil)
            try setSourceState(source, key: Self.fullReadKey, value: nil)
        }
    }

    private func store(_ source: String, users: [SourceUser], groups: [SourceGroup]) throws {
        let encoder = JSONEncoder()
        let insertUser = try statement(
            """
            INSERT OR REPLACE INTO source_users (source, id, dn, normalized_dn, username, email, first_name,
                last_name, disabled, primary_group_sid, attributes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for user in users where !user.externalID.isEmpty {
            let attributes = try user.attributes.isEmpty ? nil : Self.encode(user.attributes, encoder)
            try insertUser.execute([
                .text(source), .text(user.externalID), .optional(user.dn), .optional(user.normalizedDN),
                .optional(user.username), .optional(user.email), .optional(user.firstName), .optional(user.lastName),
                .bool(user.disabled), .optional(user.primaryGroupSID), .optional(attributes),
            ])
        }
        let insertGroup = try statement(
            """
            INSERT OR REPLACE INTO source_groups (source, id, external_id, dn, normalized_dn, name, security_id,
                members)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for group in groups {
            try insertGroup.execute([
                .text(source), .text(group.mergeKey), .text(group.externalID), .text(group.dn),
                .text(group.normalizedDN), .text(group.name), .optional(group.securityID),
                .text(try Self.encode(group.members, encoder)),
            ])
        }
    }

    private static func encode<Value: Encodable>(_ value: Value, _ encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<Value: Decodable>(
        _ type: Value.Type, _ text: String, _ decoder: JSONDecoder, source: String
    ) throws -> Value {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow(table: "source cache", key: source, problem: "\(error)")
        }
    }
}

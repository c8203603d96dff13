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
        var groups: [SourceGroup] = []
        var failure: Error?
        try statement("SELECT kind, body FROM source_entries WHERE source = ? ORDER BY rowid").query([.text(source)]) {
            row in
            let body = Data((row.text(1) ?? "").utf8)
            do {
                if row.text(0) == "group" {
                    groups.append(try decoder.decode(SourceGroup.self, from: body))
                } else {
                    users.append(try decoder.decode(SourceUser.self, from: body))
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw StoreError.corruptRow(table: "source_entries", key: source, problem: "\(failure)") }
        return (users, groups)
    }

    /// Replaces the cache of `source` with a full read and its cookie.
    public func replaceSourceCache(
        _ source: String, users: [SourceUser], groups: [SourceGroup], cookie: String, fullReadAt: Date
    ) throws {
        try connection.transaction {
            try statement("DELETE FROM source_entries WHERE source = ?").execute([.text(source)])
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
            let delete = try statement("DELETE FROM source_entries WHERE source = ? AND id = ?")
            for id in removed { try delete.execute([.text(source), .text(id)]) }
            try store(source, users: users, groups: groups)
            try setSourceState(source, key: Self.cookieKey, value: cookie, now: now)
        }
    }

    /// Forgets the cache of `source` (a full read that offered no cookie): the next read is full.
    public func clearSourceCache(_ source: String) throws {
        try connection.transaction {
            try statement("DELETE FROM source_entries WHERE source = ?").execute([.text(source)])
            try setSourceState(source, key: Self.cookieKey, value: nil)
            try setSourceState(source, key: Self.fullReadKey, value: nil)
        }
    }

    private func store(_ source: String, users: [SourceUser], groups: [SourceGroup]) throws {
        let encoder = JSONEncoder()
        let insert = try statement(
            "INSERT OR REPLACE INTO source_entries (source, kind, id, body) VALUES (?, ?, ?, ?)")
        for user in users where !user.externalID.isEmpty {
            let body = String(decoding: try encoder.encode(user), as: UTF8.self)
            try insert.execute([.text(source), "user", .text(user.externalID), .text(body)])
        }
        for group in groups {
            let body = String(decoding: try encoder.encode(group), as: UTF8.self)
            try insert.execute([.text(source), "group", .text(group.mergeKey), .text(body)])
        }
    }
}

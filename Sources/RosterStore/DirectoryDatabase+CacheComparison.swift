import Foundation
import RosterCore

/// A full read compared with the cache of its source, row by row in SQLite's own bytes.
///
/// A no-change resync of 100,000 users used to decode every cached row into a `SourceUser` (nine
/// strings each) only to find it equal to the one just read; here a row becomes values only when
/// it differs, and the cached rows, written in the order of the last full read, are matched with
/// the read by position first and by id only when the orders part.
extension DirectoryDatabase {
    /// How a full read differs from the cache of its source.
    public struct CacheDifference: Sendable, Equatable {
        /// Positions in the read's users of those new or changed since the cache was written, in
        /// the read's order (users without an external id are never among them).
        public var changed: [Int] = []
        /// External ids of cached users the read no longer has.
        public var removed: Set<String> = []
    }

    /// Compares `users`, a full read of `source`, with its cached users: the same answer as
    /// decoding every cached user and comparing it with `==`.
    public func compareCachedUsers(_ source: String, with users: [SourceUser]) throws -> CacheDifference {
        // The first position of each id; further users with the same id (a directory can hold
        // such duplicates) are compared with the same cached row.
        var firstPosition: [String: Int] = [:]
        firstPosition.reserveCapacity(users.count)
        var repeated: [String: [Int]] = [:]
        for (position, user) in users.enumerated() where !user.externalID.isEmpty {
            if firstPosition[user.externalID] == nil {
                firstPosition[user.externalID] = position
            } else {
                repeated[user.externalID, default: []].append(position)
            }
        }
        var difference = CacheDifference()
        var matched = [Bool](repeating: false, count: users.count)
        var isChanged = [Bool](repeating: false, count: users.count)
        let decoder = JSONDecoder()
        var expected = 0
        try statement(Self.selectCachedUsers + Self.wholeSourceInCacheOrder).query([.text(source)]) { row in
            var positions: [Int] = []
            if repeated.isEmpty, expected < users.count, Self.column(row, 0, equals: users[expected].externalID) {
                positions = [expected]
            } else {
                let id = row.text(0) ?? ""
                guard let first = firstPosition[id] else {
                    difference.removed.insert(id)
                    return
                }
                positions = [first] + (repeated[id] ?? [])
            }
            for position in positions {
                matched[position] = true
                if try !Self.row(row, equals: users[position], decoder: decoder, source: source) {
                    isChanged[position] = true
                }
            }
            expected = positions[0] + 1
        }
        for (position, user) in users.enumerated()
        where !user.externalID.isEmpty && (isChanged[position] || !matched[position]) {
            difference.changed.append(position)
        }
        return difference
    }

    /// Whether a row of `selectCachedUsers` is `user` as the cache would give it back (no claims).
    private static func row(_ row: SQLiteStatement, equals user: SourceUser, decoder: JSONDecoder, source: String)
        throws -> Bool
    {
        guard user.claims == nil, row.bool(7) == user.disabled, column(row, 1, equals: user.dn),
            column(row, 2, equals: user.normalizedDN), column(row, 3, equals: user.username),
            column(row, 4, equals: user.email), column(row, 5, equals: user.firstName),
            column(row, 6, equals: user.lastName), column(row, 8, equals: user.primaryGroupSID)
        else { return false }
        guard let attributes = row.text(9) else { return user.attributes.isEmpty }
        return try decode([String: [String]].self, attributes, decoder, source: source) == user.attributes
    }

    /// Whether a text column holds `value` (SQL NULL for nil), compared as bytes.
    private static func column(_ row: SQLiteStatement, _ column: Int32, equals value: String?) -> Bool {
        guard var value else { return row.isNull(column) }
        guard !row.isNull(column) else { return false }
        return row.withText(column) { stored in
            value.withUTF8 { bytes in
                bytes.count == stored.count
                    && (bytes.count == 0 || memcmp(bytes.baseAddress!, stored.baseAddress!, bytes.count) == 0)
            }
        }
    }
}

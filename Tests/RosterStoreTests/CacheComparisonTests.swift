import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// A full read compared with the cache in SQLite's bytes gives what decoding every cached user
/// and comparing with `==` gives: in cache order, out of it, with duplicates and selector values.
struct CacheComparisonTests {
    static func user(_ index: Int, first: String = "Given") -> SourceUser {
        SourceUser(
            externalID: "id-\(index)", dn: "uid=u\(index),ou=people", normalizedDN: "uid=u\(index),ou=people",
            username: "u\(index)", email: index % 3 == 0 ? nil : "u\(index)@example.com", firstName: first,
            lastName: "Family", disabled: index % 5 == 0,
            attributes: index % 4 == 0 ? ["departmentnumber": ["\(index)", "42"]] : [:])
    }

    /// What the comparison must find: the old way, by decoded values.
    static func expected(_ users: [SourceUser], cached: [SourceUser]) -> DirectoryDatabase.CacheDifference {
        let byID = Dictionary(cached.map { ($0.externalID, $0) }, uniquingKeysWith: { $1 })
        let present = Set(users.map(\.externalID))
        return DirectoryDatabase.CacheDifference(
            changed: users.indices.filter { !users[$0].externalID.isEmpty && byID[users[$0].externalID] != users[$0] },
            removed: Set(cached.map(\.externalID)).subtracting(present))
    }

    @Test func findsWhatDecodingWouldFind() throws {
        try withDatabase { database, _ in
            let cached = (0..<40).map { Self.user($0) }
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: cached, groups: [], cookie: nil, fullReadAt: Fixtures.now, replaces: true),
                now: Fixtures.now)
            #expect(try database.compareCachedUsers("corp", with: cached) == .init())

            var read = cached
            read[3].firstName = "Changed"  // a field
            read[8].attributes = ["departmentnumber": ["8", "43"]]  // a selector value
            read[10].email = nil  // a value gone
            read[12].disabled.toggle()
            read[15].claims = .string("from OIDC")  // the cache keeps no claims
            read.remove(at: 20)  // gone from the directory
            read.append(Self.user(99))  // new
            read.append(SourceUser(externalID: "", username: "no-id", disabled: false))  // never compared
            read.swapAt(30, 31)  // out of cache order
            let difference = try database.compareCachedUsers("corp", with: read)
            #expect(difference == Self.expected(read, cached: cached))
            #expect(
                difference.changed.map { read[$0].externalID } == ["id-3", "id-8", "id-10", "id-12", "id-15", "id-99"])
            #expect(difference.removed == ["id-20"])

            // The same id twice in one read: each is compared with the cached user.
            var twice = cached
            twice.insert(Self.user(5, first: "Other"), at: 10)
            #expect(try database.compareCachedUsers("corp", with: twice) == Self.expected(twice, cached: cached))
            #expect(try database.compareCachedUsers("corp", with: twice).changed == [10])

            // Reversed: nothing matches by position, everything by id.
            let reversed = Array(read.reversed())
            #expect(try database.compareCachedUsers("corp", with: reversed) == Self.expected(reversed, cached: cached))
            #expect(try database.compareCachedUsers("other", with: cached).changed == Array(cached.indices))
        }
    }
}

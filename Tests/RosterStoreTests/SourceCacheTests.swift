import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// The per-source cache behind incremental reads: what goes in comes out, per source, with its
/// cookie; incremental updates replace and remove; a cleared cache means a full read next.
struct SourceCacheTests {
    static let ann = SourceUser(
        externalID: "u1", dn: "uid=ann,ou=people", normalizedDN: "uid=ann,ou=people", username: "ann",
        email: "ann@example.com", firstName: "Ann", lastName: "Ärger", disabled: false,
        attributes: ["departmentnumber": ["4711", "42"]], primaryGroupSID: "S-1-5-21-1-2-3-513")
    static let bob = SourceUser(
        externalID: "u2", dn: "uid=bob,ou=people", normalizedDN: "uid=bob,ou=people", username: "bob", disabled: true)
    static let staff = SourceGroup(
        dn: "cn=staff,ou=groups", normalizedDN: "cn=staff,ou=groups", name: "staff",
        members: ["uid=ann,ou=people", "uid=bob,ou=people"], externalID: "g1", securityID: "S-1-5-21-1-2-3-1105")
    static let legacy = SourceGroup(dn: "cn=old,ou=groups", normalizedDN: "cn=old,ou=groups", name: "old", members: [])

    @Test func aFullReadRoundTripsWithItsCookie() throws {
        try withDatabase { database, _ in
            #expect(try database.sourceCacheState("corp") == nil)
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [Self.ann, Self.bob], groups: [Self.staff, Self.legacy], cookie: "c1",
                    fullReadAt: Fixtures.now, replaces: true),
                now: Fixtures.now)
            let state = try #require(try database.sourceCacheState("corp"))
            #expect(state.cookie == "c1")
            #expect(abs(state.fullReadAt.timeIntervalSince(Fixtures.now)) < 0.001)
            let cached = try database.cachedEntries("corp")
            #expect(cached.users == [Self.ann, Self.bob])
            #expect(cached.groups == [Self.staff, Self.legacy])
            #expect(try database.cachedEntries("other").users.isEmpty)
        }
    }

    /// Cache rows go in several to a statement, each replacing the row of its id: 70 users (two
    /// full batches and a partial one), then 40 of them changed and 5 new, and the ids in between kept.
    @Test func batchedWritesInsertAndReplaceEveryRow() throws {
        func user(_ index: Int, name: String) -> SourceUser {
            SourceUser(
                externalID: "u\(index)", dn: "uid=\(name),ou=people", normalizedDN: "uid=\(name),ou=people",
                username: name, email: "\(name)@example.com", disabled: index % 7 == 0)
        }
        try withDatabase { database, _ in
            let first = (0..<70).map { user($0, name: "person\($0)") }
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: first, groups: [Self.staff], cookie: "c1", fullReadAt: Fixtures.now,
                    replaces: true),
                now: Fixtures.now)
            #expect(try database.cachedEntries("corp").users == first)
            let changed =
                (20..<60).map { user($0, name: "renamed\($0)") } + (70..<75).map { user($0, name: "new\($0)") }
            try database.writeSourceCache(
                SourceCacheWrite(source: "corp", users: changed, groups: [], cookie: "c2", fullReadAt: nil),
                now: Fixtures.now)
            let expected = first.prefix(20) + changed.prefix(40) + first.suffix(10) + changed.suffix(5)
            #expect(try database.cachedEntries("corp").users == Array(expected))
        }
    }

    /// A cached user whose keys stay gets only its other columns set; one whose email or DN
    /// changed is found by the new keys and no longer by the old ones.
    @Test func detailAndKeyChangesAreBothFoundByTheirKeys() throws {
        try withDatabase { database, _ in
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [Self.ann, Self.bob], groups: [], cookie: "c1", fullReadAt: Fixtures.now,
                    replaces: true),
                now: Fixtures.now)
            var ann = Self.ann
            ann.firstName = "Annie"
            ann.disabled = true
            var bob = Self.bob
            bob.email = "robert@example.com"
            bob.normalizedDN = "uid=robert,ou=people"
            try database.writeSourceCache(
                SourceCacheWrite(source: "corp", users: [ann, bob], groups: [], cookie: "c2", fullReadAt: nil),
                now: Fixtures.now)
            #expect(try database.cachedEntries("corp").users == [ann, bob])
            var byNewKeys = CacheKeys()
            byNewKeys.emailKeys = ["robert@example.com"]
            byNewKeys.memberKeys = ["uid=robert,ou=people"]
            #expect(try database.cachedUsers("corp", matching: byNewKeys).map(\.user) == [bob])
            var byOldKeys = CacheKeys()
            byOldKeys.memberKeys = [try #require(Self.bob.normalizedDN)]
            #expect(try database.cachedUsers("corp", matching: byOldKeys).isEmpty)
        }
    }

    @Test func incrementalUpdatesReplaceAndRemoveAndKeepTheFullReadTime() throws {
        try withDatabase { database, _ in
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [Self.ann, Self.bob], groups: [Self.staff, Self.legacy], cookie: "c1",
                    fullReadAt: Fixtures.now, replaces: true),
                now: Fixtures.now)
            var renamed = Self.ann
            renamed.username = "anna"
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [renamed], groups: [], removed: ["u2", Self.legacy.mergeKey], cookie: "c2",
                    fullReadAt: nil),
                now: Fixtures.now.addingTimeInterval(60))
            let cached = try database.cachedEntries("corp")
            #expect(cached.users.map(\.username) == ["anna"])
            #expect(cached.groups == [Self.staff])
            let state = try #require(try database.sourceCacheState("corp"))
            #expect(state.cookie == "c2")
            #expect(abs(state.fullReadAt.timeIntervalSince(Fixtures.now)) < 0.001)

            try database.clearSourceCache("corp")
            #expect(try database.sourceCacheState("corp") == nil)
            #expect(try database.cachedEntries("corp").users.isEmpty)
        }
    }

    /// The counts an incremental run reads are kept with every write, and always agree with the
    /// rows: across adds, changes, removals, an entry removed and added again in one write,
    /// a duplicate in one write, another source, and a store that kept no count yet.
    @Test func theKeptCountsFollowTheRows() throws {
        try withDatabase { (database, _) throws in
            func rows(_ table: String) throws -> Int {
                let count = try database.connection.scalarText("SELECT count(*) FROM \(table) WHERE source = 'corp'")
                return Int(count ?? "") ?? -1
            }
            func expectKept(_ comment: Comment) throws {
                #expect(try database.cachedUserCount("corp") == rows("source_users"), comment)
                #expect(try database.cachedGroupCount("corp") == rows("source_groups"), comment)
            }
            func user(_ id: String) -> SourceUser {
                SourceUser(externalID: id, dn: "uid=\(id),ou=people", normalizedDN: "uid=\(id),ou=people", username: id)
            }
            func incremental(_ users: [SourceUser], _ groups: [SourceGroup] = [], removed: Set<String> = []) throws {
                try database.writeSourceCache(
                    SourceCacheWrite(
                        source: "corp", users: users, groups: groups, removed: removed, cookie: "c", fullReadAt: nil))
            }
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [Self.ann, Self.bob], groups: [Self.staff, Self.legacy], cookie: "c1",
                    fullReadAt: Fixtures.now, replaces: true))
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "other", users: [user("x")], groups: [], cookie: "c", fullReadAt: Fixtures.now))
            try expectKept("after a full read")
            #expect(try database.cachedUserCount("corp") == 2)

            try incremental([user("u3"), user("u4"), Self.ann])
            try expectKept("two added, one changed")
            try incremental([user("u5")], [Self.legacy], removed: ["u2", "u4", "nobody", Self.staff.mergeKey])
            try expectKept("removed users and a group, one unknown id")
            try incremental([user("u3"), user("u3")], removed: ["u3"])
            try expectKept("removed and added again, twice in one write")
            #expect(try database.cachedUserCount("corp") == 3)
            #expect(try database.cachedUserCount("other") == 1)

            // A store from before the kept counts: counted once, then kept again.
            try database.connection.execute("DELETE FROM source_state WHERE key IN ('user_count', 'group_count')")
            try expectKept("counted when none is kept")
            try incremental([user("u6")], removed: ["u5"])
            try expectKept("kept again after a write")

            try database.clearSourceCache("corp")
            try expectKept("after clearing")
            #expect(try database.cachedUserCount("corp") == 0)
        }
    }
}

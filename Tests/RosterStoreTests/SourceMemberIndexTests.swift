import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// The member index: the groups holding a user (and, nested, the groups holding those) are found
/// without loading every group, and follow every kind of cache write.
struct SourceMemberIndexTests {
    static func group(_ name: String, _ members: [String], id: String) -> SourceGroup {
        SourceGroup(
            dn: "cn=\(name),ou=groups", normalizedDN: "cn=\(name),ou=groups", name: name, members: members,
            externalID: id)
    }

    static let interns = group("interns", ["uid=ann,ou=people"], id: "g1")
    static let core = group("core", ["cn=interns,ou=groups", "uid=bob,ou=people"], id: "g2")
    static let admins = group("admins", ["cn=core,ou=groups"], id: "g3")
    static let other = group("other", ["uid=bob,ou=people", "UID=Carl,ou=people"], id: "g4")

    private func names(_ groups: [SourceGroup]) -> [String] { groups.map(\.name) }

    /// The cache as a full read of `groups` (and no user) leaves it.
    private func readInFull(_ database: DirectoryDatabase, groups: [SourceGroup]) throws {
        try database.writeSourceCache(
            SourceCacheWrite(
                source: "corp", users: [], groups: groups, cookie: "c1", fullReadAt: Fixtures.now, replaces: true),
            now: Fixtures.now)
    }

    @Test func nestedLookupsFindTheChainAndDirectOnesOnlyTheFirstLink() throws {
        try withDatabase { database, _ in
            try readInFull(database, groups: [Self.interns, Self.core, Self.admins, Self.other])
            let ann: Set = ["uid=ann,ou=people"]
            #expect(
                names(try database.cachedGroups("corp", reaching: ann, nested: true)) == ["interns", "core", "admins"])
            #expect(names(try database.cachedGroups("corp", reaching: ann, nested: false)) == ["interns"])
            // In cache order, each group once; values compare folded (LDAP names are case-insensitive).
            #expect(
                names(
                    try database.cachedGroups(
                        "corp", reaching: ["uid=bob,ou=people", "uid=carl,ou=people"], nested: true))
                    == ["core", "admins", "other"])
            #expect(try database.cachedGroups("corp", reaching: ["uid=nobody,ou=people"], nested: true).isEmpty)
            // Each group holds only the values that led to it (a member asked for, a group found),
            // as the group holds them.
            let reached = try database.cachedGroups("corp", reaching: ["uid=carl,ou=people"], nested: true)
            #expect(reached.map(\.members) == [["UID=Carl,ou=people"]])
            let chain = try database.cachedGroups("corp", reaching: ann, nested: true)
            #expect(
                chain.map(\.members) == [["uid=ann,ou=people"], ["cn=interns,ou=groups"], ["cn=core,ou=groups"]])
            #expect(try database.cachedGroups("other", reaching: ann, nested: true).isEmpty)
            #expect(try database.cachedGroupCount("corp") == 4)
            #expect(try database.cachedGroupIDs("corp") == ["g1", "g2", "g3", "g4"])
            #expect(try database.cachedGroupIDs("corp", among: ["g2", "u1", "g9"]) == ["g2"])
        }
    }

    @Test func changedAndRemovedGroupsAndAClearedCacheLeaveNoStaleMembers() throws {
        try withDatabase { database, _ in
            try readInFull(database, groups: [Self.interns, Self.core, Self.admins, Self.other])
            // core no longer holds interns but holds ann herself; other goes.
            let core = Self.group("core", ["uid=ann,ou=people"], id: "g2")
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [], groups: [core], removed: [Self.other.mergeKey], cookie: "c2",
                    fullReadAt: nil),
                now: Fixtures.now)
            #expect(
                names(try database.cachedGroups("corp", reaching: ["uid=ann,ou=people"], nested: true))
                    == ["interns", "core", "admins"])
            #expect(names(try database.cachedGroups("corp", reaching: ["cn=interns,ou=groups"], nested: false)).isEmpty)
            #expect(
                try database.cachedGroups("corp", reaching: ["uid=bob,ou=people", "uid=carl,ou=people"], nested: true)
                    .isEmpty)
            // A full read rebuilds the index with the cache.
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [], groups: [Self.other], cookie: "c3", fullReadAt: Fixtures.now,
                    replaces: true),
                now: Fixtures.now)
            #expect(try database.cachedGroups("corp", reaching: ["uid=ann,ou=people"], nested: true).isEmpty)
            #expect(
                names(try database.cachedGroups("corp", reaching: ["uid=bob,ou=people"], nested: true)) == ["other"])
            try database.clearSourceCache("corp")
            #expect(try database.cachedGroups("corp", reaching: ["uid=bob,ou=people"], nested: true).isEmpty)
            #expect(try database.connection.scalarText("SELECT count(*) FROM source_members") == "0")
        }
    }

    @Test func primaryGroupsAreFoundByTheirSID() throws {
        try withDatabase { database, _ in
            var users = Self.group("domain users", [], id: "g5")
            users.securityID = "S-1-5-21-1-2-3-513"
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [], groups: [Self.interns, users], cookie: "c1", fullReadAt: Fixtures.now,
                    replaces: true),
                now: Fixtures.now)
            #expect(
                names(
                    try database.cachedGroups("corp", reaching: [], securityIDs: ["S-1-5-21-1-2-3-513"], nested: true))
                    == ["domain users"])
        }
    }

    /// A store from before the member index has caches without it: they are dropped, so that the
    /// next read of each source is full and builds the index with the cache.
    @Test func aStoreFromBeforeTheIndexReadsItsSourcesInFullAgain() throws {
        try withDatabase { database, folder in
            try database.writeSourceCache(
                SourceCacheWrite(
                    source: "corp", users: [SourceCacheTests.ann], groups: [Self.interns], cookie: "c1",
                    fullReadAt: Fixtures.now, replaces: true),
                now: Fixtures.now)
            // As version 4 left it: no member index, the audit log's email index still there.
            try database.connection.execute(
                "DROP TABLE source_members; CREATE INDEX audit_email ON audit (email_key); PRAGMA user_version = 4")
            let reopened = try DirectoryDatabase.open(path: folder.path + "/db/roster.db", auditMirror: nil)
            #expect(try reopened.connection.scalarText("PRAGMA user_version") == "\(Schema.currentVersion)")
            #expect(try reopened.sourceCacheState("corp") == nil)
            #expect(try reopened.cachedEntries("corp").users.isEmpty)
            #expect(try reopened.cachedGroups("corp", reaching: ["uid=ann,ou=people"], nested: true).isEmpty)
        }
    }
}

import Foundation
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterLDAP

/// RFC 4533 refreshOnly searches against slapd's syncprov, once with a session log (refreshes
/// from a covered cookie are delete phases) and once without (every refresh after a change is a
/// present phase). Each suite has a slapd of its own, since the tests change the directory.
enum ContentSyncSearchTests {
    /// Users that can stop matching: setting `employeeType: former` takes one out of scope.
    static let userFilter = "(&(objectClass=inetOrgPerson)(!(employeeType=former)))"
    static let groupFilter = "(objectClass=groupOfNames)"

    @Suite(.serialized, .slapd(syncprov: .init(sessionLog: 20)))
    struct WithSessionLog {
        @Test func reportsEveryKindOfChangeSinceACookieAsADeletePhase() throws {
            let server = try SlapdServer.require()
            let result = try ContentSyncSearchTests.everyKindOfChange(on: server, prefix: "log")
            // Deletions and entries that left the filter come from the session log, which also
            // names every other logged change outside the search (the changed group): ignored,
            // as the caller never held them.
            #expect(result.users.present == nil)
            #expect(result.users.deleted.intersection(result.usersBefore) == [result.deletedUUID, result.leftUUID])
        }

        @Test func aRefreshWithoutChangesReportsNothing() throws {
            try ContentSyncSearchTests.noChange(on: try SlapdServer.require())
        }

        /// More changes than the session log holds: slapd falls back to a present phase, which is
        /// still complete.
        @Test func aCookieOlderThanTheSessionLogGetsAPresentPhase() throws {
            let server = try SlapdServer.require()
            let connection = try ContentSyncSearchTests.connect(server)
            let cookie = try ContentSyncSearch.currentCookie(
                connection: connection, base: TestDirectory.people, timeout: .seconds(10))
            let before = try ContentSyncSearchTests.uuids(server, base: TestDirectory.people, filter: userFilter)
            for index in 1...15 { try server.modify(ContentSyncSearchTests.person("stale\(index)")) }
            for index in 1...10 {
                try server.modify("dn: \(TestDirectory.dn("stale\(index)"))\nchangetype: delete\n")
            }
            try server.modify("dn: \(TestDirectory.dn("user0100"))\nchangetype: delete\n")

            let result = try ContentSyncSearchTests.changes(
                ContentSyncSearchTests.users, cookie: cookie, on: connection)
            #expect(result.present != nil)
            #expect(result.present?.contains(try ContentSyncSearchTests.uuid(server, "alice")) == true)
            let after = try ContentSyncSearchTests.uuids(server, base: TestDirectory.people, filter: userFilter)
            #expect(ContentSyncSearchTests.apply(result, to: before) == after)
            #expect(Set(result.changed.compactMap { $0.string("uid") }) == Set((11...15).map { "stale\($0)" }))
        }

        @Test func cookiesTheServerCannotUse() throws {
            try ContentSyncSearchTests.unusableCookies(on: try SlapdServer.require())
        }
    }

    @Suite(.serialized, .slapd(syncprov: .init()))
    struct WithoutSessionLog {
        @Test func reportsEveryKindOfChangeSinceACookieAsAPresentPhase() throws {
            let server = try SlapdServer.require()
            let result = try ContentSyncSearchTests.everyKindOfChange(on: server, prefix: "nolog")
            // Nothing is named as deleted: what is gone is what is neither present nor changed.
            let present = try #require(result.users.present)
            #expect(result.users.deleted.isEmpty)
            #expect(!present.contains(result.deletedUUID))
            #expect(!present.contains(result.leftUUID))
            #expect(present.contains(try ContentSyncSearchTests.uuid(server, "alice")))
        }

        @Test func aRefreshWithoutChangesReportsNothing() throws {
            try ContentSyncSearchTests.noChange(on: try SlapdServer.require())
        }

        /// The present phase also ends a refresh that finds no entry at all: everything the caller
        /// held is then gone.
        @Test func aPresentPhaseWithoutEntriesMeansEverythingIsGone() throws {
            let server = try SlapdServer.require()
            let connection = try ContentSyncSearchTests.connect(server)
            try server.modify(ContentSyncSearchTests.person("lonely", extra: "employeeType: lonely\n"))
            var request = ContentSyncSearchTests.users
            request.filter = "(employeeType=lonely)"
            let cookie = try #require(try ContentSyncSearchTests.changes(request, cookie: nil, on: connection).cookie)
            try server.modify("dn: \(TestDirectory.dn("lonely"))\nchangetype: delete\n")

            let result = try ContentSyncSearchTests.changes(request, cookie: cookie, on: connection)
            #expect(result.present == [])
            #expect(result.changed.isEmpty)
            #expect(result.deleted.isEmpty)
        }

        @Test func cookiesTheServerCannotUse() throws {
            try ContentSyncSearchTests.unusableCookies(on: try SlapdServer.require())
        }
    }

    /// The values themselves: bytes slapd sent (captured with `ldapsearch -E sync=ro`), and the
    /// messages slapd does not send in refreshOnly mode, encoded by hand from RFC 4533 §2.
    @Suite struct Values {
        @Test func theRequestControlIsRefreshOnlyWithTheCookieAndCritical() throws {
            let connection = try LDAPConnection(
                url: "ldap://127.0.0.1:1",
                settings: .init(tls: TLSOptions(), connectTimeout: .seconds(1), operationTimeout: .seconds(1)))
            let withCookie = try RequestControl.syncRequest(cookie: Array("abc".utf8), on: connection)
            let control = withCookie.control.pointee
            #expect(String(cString: control.ldctl_oid) == "1.3.6.1.4.1.4203.1.9.1.1")
            #expect(control.ldctl_iscritical != 0)
            #expect(value(of: withCookie) == [0x30, 0x08, 0x0a, 0x01, 0x01, 0x04, 0x03, 0x61, 0x62, 0x63])
            #expect(
                value(of: try RequestControl.syncRequest(cookie: nil, on: connection)) == [
                    0x30, 0x03, 0x0a, 0x01, 0x01,
                ])
        }

        /// A copy of the control's value, taken while the control lives.
        private func value(of request: RequestControl) -> [UInt8] {
            withExtendedLifetime(request) {
                let value = request.control.pointee.ldctl_value
                return Array(UnsafeRawBufferPointer(start: value.bv_val, count: Int(value.bv_len)))
            }
        }

        @Test func slapdsControlsDecode() throws {
            let state = try SyncStateControl(value: bytes("MBUKAQEEEOsgE9Z7rBBBkZh32K7eL2w="))
            #expect(state.state == .add)
            // As ldapsearch printed the entry's entryUUID attribute.
            #expect(state.entryUUID == "eb2013d6-7bac-1041-9198-77d8aede2f6c")
            #expect(state.cookie == nil)

            let done = try SyncDoneControl(
                value: bytes("MDkENHJpZD0wMDAsY3NuPTIwMjYxMTIzMTcxMzE3LjA2OTcwOVojMDAwMDAwIzAwMCMwMDAwMDABAf8="))
            #expect(done.cookie == Array("rid=000,csn=20261123171317.069709Z#000000#000#000000".utf8))
            #expect(done.refreshDeletes)
            let unchanged = try SyncDoneControl(value: bytes("MAMBAf8="))
            #expect(unchanged.cookie == nil && unchanged.refreshDeletes)
            let refused = try SyncDoneControl(value: bytes("MAUEAAEB/w=="))
            #expect(refused.cookie == [] && refused.refreshDeletes)
            #expect(try SyncDoneControl(value: [0x30, 0x00]).refreshDeletes == false)
        }

        @Test func everySyncInfoMessageDecodes() throws {
            guard case .newCookie(let cookie) = try SyncInfoMessage(value: [0x80, 0x03, 0x61, 0x62, 0x63]) else {
                Issue.record("not a newcookie")
                return
            }
            #expect(cookie == Array("abc".utf8))
            let present = try SyncInfoMessage(value: [0xa2, 0x08, 0x04, 0x03, 0x61, 0x62, 0x63, 0x01, 0x01, 0x00])
            guard case .refreshPresent(let presentCookie, let presentDone) = present else {
                Issue.record("not a refreshPresent: \(present)")
                return
            }
            #expect(presentCookie == Array("abc".utf8) && !presentDone)
            // Both fields left out: refreshDone defaults to TRUE.
            guard case .refreshDelete(nil, true) = try SyncInfoMessage(value: [0xa1, 0x00]) else {
                Issue.record("not an empty refreshDelete")
                return
            }
            let uuid: [UInt8] = [
                0xeb, 0x20, 0x13, 0xd6, 0x7b, 0xac, 0x10, 0x41, 0x91, 0x98, 0x77, 0xd8, 0xae, 0xde, 0x2f, 0x6c,
            ]
            let idSet = try SyncInfoMessage(value: [0xa3, 0x17, 0x01, 0x01, 0xff, 0x31, 0x12, 0x04, 0x10] + uuid)
            guard case .syncIdSet(nil, true, let uuids) = idSet else {
                Issue.record("not a syncIdSet of deletes: \(idSet)")
                return
            }
            #expect(uuids == ["eb2013d6-7bac-1041-9198-77d8aede2f6c"])
        }

        @Test func damagedValuesAreErrors() {
            // A uuid of 15 bytes, a truncated sequence, an unknown state, an unknown choice.
            #expect(throws: BERDecodingError.self) {
                try SyncStateControl(
                    value: [0x30, 0x14, 0x0a, 0x01, 0x01, 0x04, 0x0f] + Array(repeating: 0, count: 15))
            }
            #expect(throws: BERDecodingError.self) { try SyncStateControl(value: [0x30, 0x15, 0x0a, 0x01]) }
            #expect(throws: BERDecodingError.self) {
                try SyncStateControl(
                    value: [0x30, 0x15, 0x0a, 0x01, 0x07, 0x04, 0x10] + Array(repeating: 0, count: 16))
            }
            #expect(throws: BERDecodingError.self) { try SyncInfoMessage(value: [0xa5, 0x00]) }
            #expect(throws: BERDecodingError.self) { try SyncDoneControl(value: [0x04, 0x00]) }
        }

        private func bytes(_ base64: String) throws -> [UInt8] {
            try #require(Data(base64Encoded: base64).map { Array($0) })
        }
    }

    // MARK: - Scenarios both servers run

    struct EveryKindOfChange {
        var users: ContentSyncResult
        var usersBefore: Set<String>
        var deletedUUID: String
        var leftUUID: String
    }

    /// From a cookie taken as a full read would take it: an add, a modify, a rename, a delete, an
    /// entry that stops matching the filter, and a group membership change.
    static func everyKindOfChange(on server: SlapdServer, prefix: String) throws -> EveryKindOfChange {
        let connection = try connect(server)
        let cookie = try ContentSyncSearch.currentCookie(
            connection: connection, base: TestDirectory.people, timeout: .seconds(10))
        let usersBefore = try uuids(server, base: TestDirectory.people, filter: userFilter)
        let groupsBefore = try uuids(server, base: TestDirectory.groups, filter: groupFilter)
        let renamedUUID = try uuid(server, "peggy")
        let deletedUUID = try uuid(server, "user0001")
        let leftUUID = try uuid(server, "user0002")

        let added = "\(prefix).newcomer"
        try server.modify(person(added))
        try server.modify("dn: \(TestDirectory.dn("oscar"))\nchangetype: modify\nreplace: sn\nsn: Olsen-\(prefix)\n")
        try server.modify(
            "dn: \(TestDirectory.dn("peggy"))\nchangetype: modrdn\nnewrdn: uid=peggy.\(prefix)\ndeleteoldrdn: 1\n")
        try server.modify("dn: \(TestDirectory.dn("user0001"))\nchangetype: delete\n")
        try server.modify(
            "dn: \(TestDirectory.dn("user0002"))\nchangetype: modify\nadd: employeeType\nemployeeType: former\n")
        try server.modify(
            "dn: cn=cycle-a,\(TestDirectory.groups)\nchangetype: modify\nadd: member\nmember: \(TestDirectory.dn("user0003"))\n"
        )

        let users = try changes(self.users, cookie: cookie, on: connection)
        #expect(apply(users, to: usersBefore) == (try uuids(server, base: TestDirectory.people, filter: userFilter)))
        #expect(Set(users.changed.compactMap { $0.string("uid") }) == ["oscar", "peggy.\(prefix)", added])
        let renamed = try #require(users.changed.first { $0.string("uid") == "peggy.\(prefix)" })
        #expect(renamed.dn == TestDirectory.dn("peggy.\(prefix)"))
        #expect(renamed.string("entryUUID") == renamedUUID)
        #expect(users.changed.first { $0.string("uid") == "oscar" }?.string("sn") == "Olsen-\(prefix)")
        #expect(users.cookie != nil && users.cookie != cookie)

        let groups = try changes(self.groups, cookie: cookie, on: connection)
        #expect(apply(groups, to: groupsBefore) == (try uuids(server, base: TestDirectory.groups, filter: groupFilter)))
        #expect(groups.changed.map(\.dn) == ["cn=cycle-a,\(TestDirectory.groups)"])
        #expect(groups.changed.first?.strings("member").contains(TestDirectory.dn("user0003")) == true)
        #expect(groups.deleted.isDisjoint(with: groupsBefore))
        return EveryKindOfChange(users: users, usersBefore: usersBefore, deletedUUID: deletedUUID, leftUUID: leftUUID)
    }

    /// slapd's shortcut when nothing changed: no entries, refreshDeletes TRUE and no new cookie.
    static func noChange(on server: SlapdServer) throws {
        let connection = try connect(server)
        let cookie = try ContentSyncSearch.currentCookie(
            connection: connection, base: TestDirectory.people, timeout: .seconds(10))
        let result = try changes(users, cookie: cookie, on: connection)
        #expect(result.changed.isEmpty)
        #expect(result.deleted.isEmpty)
        #expect(result.present == nil)
        #expect(result.cookie == nil)
        // Reading the cookie again does not move it.
        let again = try ContentSyncSearch.currentCookie(
            connection: connection, base: TestDirectory.people, timeout: .seconds(10))
        #expect(again == cookie)
    }

    /// What slapd 2.5 does with cookies it did not give, or cannot honour.
    static func unusableCookies(on server: SlapdServer) throws {
        let connection = try connect(server)
        // (a) Not a cookie at all: slapd answers as to a first search, with an empty cookie.
        let garbage = try ContentSyncSearch(connection: connection, request: groups)
            .run(cookie: Array("garbage".utf8))
        guard case .refreshRequired(let text) = garbage else {
            Issue.record("a garbage cookie gave \(garbage)")
            return
        }
        #expect(text.contains("empty"), "\(text)")

        // A CSN ahead of the server's: another server's, or a database restored from a backup.
        let ahead = try ContentSyncSearch(connection: connection, request: groups)
            .run(cookie: Array("rid=000,csn=20991231235959.000000Z#000000#000#000000".utf8))
        guard case .refreshRequired(let refused) = ahead else {
            Issue.record("a cookie ahead of the server gave \(ahead)")
            return
        }
        #expect(refused.contains("consumer state is newer than provider"), "\(refused)")

        // (c) A cookie of another provider of a multi-provider set (a CSN of sid 005, which this
        // server has never seen): a present phase in which every entry comes as added, as costly
        // as a full read, and over the size limit a failure; complete either way.
        let current = try ContentSyncSearch.currentCookie(
            connection: connection, base: TestDirectory.people, timeout: .seconds(10))
        let foreign = Array(
            String(decoding: current, as: UTF8.self).replacingOccurrences(
                of: "rid=000,csn=", with: "rid=000,sid=005,csn="
            )
            .replacingOccurrences(of: "#000#", with: "#005#").utf8)
        let groupsNow = try uuids(server, base: TestDirectory.groups, filter: groupFilter)
        let other = try changes(groups, cookie: foreign, on: connection)
        #expect(other.present != nil)
        #expect(other.changed.count == groupsNow.count)
        #expect(apply(other, to: groupsNow.union(["00000000-0000-0000-0000-000000000000"])) == groupsNow)
        let otherUsers = #expect(throws: LDAPReadFailure.self) {
            _ = try ContentSyncSearch(connection: connection, request: users).run(cookie: foreign)
        }
        #expect(otherUsers?.description.contains("Size limit exceeded") == true, "\(otherUsers?.description ?? "")")

        // A CSN slapd cannot parse, inside a well-formed cookie: also answered as a first search
        // (every entry added, refreshDeletes TRUE), but with a real cookie, so it looks like a
        // delete phase in which everything changed. Every user would come back: more than the
        // bind account's size limit, which fails the read.
        let badCSN = Array("rid=000,csn=garbage".utf8)
        let error = #expect(throws: LDAPReadFailure.self) {
            _ = try ContentSyncSearch(connection: connection, request: users).run(cookie: badCSN)
        }
        #expect(error?.description.contains("Size limit exceeded") == true, "\(error?.description ?? "")")
        let groupsAgain = try changes(groups, cookie: badCSN, on: connection)
        #expect(groupsAgain.changed.count == (try uuids(server, base: TestDirectory.groups, filter: groupFilter)).count)
        #expect(groupsAgain.present == nil)
    }

    // MARK: - Helpers

    /// A connection bound as the bind account, whose size limit is 1,000 entries.
    static func connect(_ server: SlapdServer) throws -> LDAPConnection {
        let connection = try LDAPConnection(
            url: server.url,
            settings: .init(tls: TLSOptions(), connectTimeout: .seconds(10), operationTimeout: .seconds(30)))
        try connection.bind(dn: TestDirectory.bindDN, password: Array(TestDirectory.bindPassword.utf8))
        return connection
    }

    static var users: LDAPSearchRequest {
        LDAPSearchRequest(
            purpose: "users", base: TestDirectory.people, filter: userFilter, attributes: ["uid", "sn"], pageSize: 0,
            timeout: .seconds(30))
    }

    static var groups: LDAPSearchRequest {
        LDAPSearchRequest(
            purpose: "groups", base: TestDirectory.groups, filter: groupFilter, attributes: ["cn", "member"],
            pageSize: 0, timeout: .seconds(30))
    }

    /// The changes of a refresh that must not need a full read.
    static func changes(
        _ request: LDAPSearchRequest, cookie: [UInt8]?, on connection: LDAPConnection
    ) throws -> ContentSyncResult {
        switch try ContentSyncSearch(connection: connection, request: request).run(cookie: cookie) {
        case .changes(let result): return result
        case .refreshRequired(let text): throw ExternalTool.Failed(description: "refresh required: \(text)")
        }
    }

    /// What a caller holding `cached` entryUUIDs holds after applying `result` (RFC 4533 §3.4).
    static func apply(_ result: ContentSyncResult, to cached: Set<String>) -> Set<String> {
        let changed = Set(result.changed.compactMap { $0.string("entryUUID") })
        var held = cached
        if let present = result.present { held.formIntersection(present.union(changed)) }
        held.subtract(result.deleted)
        return held.union(changed)
    }

    /// The entryUUIDs the directory holds now, read with ldapsearch as its administrator (no
    /// size limit): the truth a refresh is compared with.
    static func uuids(_ server: SlapdServer, base: String, filter: String, scope: String = "sub") throws -> Set<String>
    {
        let output = try ExternalTool("/usr/bin/ldapsearch").succeed(
            [
                "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-D", TestDirectory.adminDN, "-w",
                TestDirectory.adminPassword, "-b", base, "-s", scope, filter, "entryUUID",
            ])
        let prefix = "entryUUID: "
        return Set(
            output.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
    }

    /// The entryUUID of the person `uid`, as slapd prints the attribute.
    static func uuid(_ server: SlapdServer, _ uid: String) throws -> String {
        let found = try uuids(server, base: TestDirectory.dn(uid), filter: "(objectClass=*)", scope: "base")
        return try #require(found.first, "no entryUUID for \(uid)")
    }

    static func person(_ uid: String, extra: String = "") -> String {
        "dn: \(TestDirectory.dn(uid))\nchangetype: add\nobjectClass: inetOrgPerson\nuid: \(uid)\ncn: \(uid)\nsn: \(uid)\n"
            + extra
    }
}

import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// OIDC grants and sessions: a login writes user, grant, session, `last_login` and `oidc.login`
/// together; refresh outcomes update the grant; a withdrawal audits `oidc.refresh_failed`.
struct OIDCGrantStoreTests {
    static let session = UserSession(
        userID: 0, source: "okta", kind: .sdk, client: "platform-sdk", startedAt: Fixtures.now,
        expiresAt: Fixtures.now.addingTimeInterval(3600))

    static func grant(_ subject: String) -> OIDCGrant {
        OIDCGrant(
            source: "okta", subject: subject, sealedRefreshToken: [1, 2, 3, 250],
            claims: .object(["sub": .string(subject), "groups": .strings(["admins"])]), claimsAt: Fixtures.now)
    }

    static func login(_ database: DirectoryDatabase, _ name: String) throws -> AppliedBatch {
        let created = Fixtures.create(Fixtures.newUser(name, source: "okta"))
        return try database.applyLogin(
            ApplyBatch(changes: [created], now: Fixtures.now), grant: grant(name), session: session,
            loginEvent: AuditEvent(action: "oidc.login", actor: "cli:test", userID: 0, email: "\(name)@example.com"))
    }

    @Test func aLoginCreatesTheUserWithItsGrantSessionAndLastLogin() throws {
        try withDatabase { database, _ in
            let applied = try Self.login(database, "alice")
            let id = applied.users[0].id
            #expect(applied.records.map(\.action) == ["user.create", "oidc.login"])
            #expect(applied.records[1].userID == id)
            #expect(try database.user(id: id)?.lastLogin == Fixtures.now)
            let sessions = try database.sessions(userID: id)
            #expect(sessions.count == 1)
            #expect(sessions[0].kind == .sdk && sessions[0].client == "platform-sdk")
            #expect(sessions[0].duration == 3600)
            #expect(try database.oidcGrants(source: "okta") == [Self.grant("alice")])
            #expect(try database.oidcGrants(source: "other").isEmpty)
        }
    }

    @Test func aFailedLoginWritesNothing() throws {
        try withDatabase { database, _ in
            _ = try Self.login(database, "alice")
            // Same email again: the unique index refuses the create, and the whole login rolls back.
            #expect(throws: (any Error).self) { try Self.login(database, "alice") }
            #expect(try database.loadUsers().count == 1)
            #expect(try database.auditRecords().count == 2)
        }
    }

    @Test func refreshOutcomesUpdateTheGrant() throws {
        try withDatabase { database, _ in
            _ = try Self.login(database, "alice")
            let later = Fixtures.now.addingTimeInterval(600)
            try database.storeRefreshToken(source: "okta", subject: "alice", sealed: [9, 9], now: later)
            try database.markStale(source: "okta", subject: "alice", problem: "HTTP 503", now: later)
            var grant = try #require(try database.oidcGrants(source: "okta").first)
            #expect(grant.sealedRefreshToken == [9, 9])
            #expect(grant.stale && grant.problem == "HTTP 503")
            try database.storeConfirmedClaims(
                source: "okta", subject: "alice", claims: .object(["groups": .strings(["editors"])]), now: later)
            grant = try #require(try database.oidcGrants(source: "okta").first)
            #expect(!grant.stale && grant.problem == nil && grant.claimsAt == later)
            #expect(grant.claims["groups"] == .strings(["editors"]))
        }
    }

    @Test func aWithdrawalErasesTheTokenAndAuditsTheUser() throws {
        try withDatabase { database, _ in
            let id = try Self.login(database, "alice").users[0].id
            try database.withdraw(
                source: "okta", subject: "alice", externalID: "uuid-alice", problem: "invalid_grant",
                event: AuditEvent(action: "oidc.refresh_failed", actor: "sync"), now: Fixtures.now)
            let grant = try #require(try database.oidcGrants(source: "okta").first)
            #expect(grant.sealedRefreshToken == nil && grant.withdrawnAt == Fixtures.now)
            let record = try #require(try database.auditRecords(AuditFilter(action: "oidc.refresh_failed")).first)
            #expect(record.userID == id && record.email == "alice@example.com")
            #expect(throws: StoreError.self) {
                try database.markStale(source: "okta", subject: "nobody", problem: "x", now: Fixtures.now)
            }
        }
    }
}

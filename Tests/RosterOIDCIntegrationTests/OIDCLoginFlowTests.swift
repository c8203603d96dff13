import Foundation
import RosterCore
import Testing

/// The OIDC source end to end: the built `roster` binary against a real OpenID provider
/// (oidc-provider-mock) on loopback. Its refresh answers carry no ID token, so claims come back
/// through userinfo; its ID tokens carry no `kid`, so every RSA key of its JWKS is tried.
@Suite(.serialized)
struct OIDCLoginFlowTests {
    static let alice: [String: JSONValue] = [
        "email": .string("alice@example.com"), "preferred_username": .string("alice"),
        "given_name": .string("Alice"), "family_name": .string("Liddell"),
        "groups": .array([.string("admins"), .string("proj-apollo-owners")]),
    ]

    /// A provider and a workspace for one test, both removed afterwards.
    static func withProvider(
        audience: [String] = ["roster"], _ body: (MockProvider, OIDCWorkspace) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "roster-oidc-idp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let provider = try await MockProvider.start(in: folder)
        defer { provider.stop() }
        let workspace = try OIDCWorkspace(issuer: provider.issuer, audience: audience)
        defer { workspace.remove() }
        try await body(provider, workspace)
    }

    /// Waits past `refresh_every` (1s) so the next reconcile redeems the refresh token.
    static func waitForRefresh() async throws {
        try await Task.sleep(for: .milliseconds(1300))
    }

    @Test func loginProvisionsTheUserWithTheMappedRolesAndASession() async throws {
        try await Self.withProvider { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let tokens = try await provider.signIn("alice")
            let login = try workspace.login(idToken: tokens.idToken, refreshToken: tokens.refreshToken)
            #expect(login.exitCode == 0, "\(login.all)")
            #expect(login.stdout.contains("signed in alice@example.com"))

            let user = try workspace.user("alice")
            #expect(user["type"] == .string("admin"))
            #expect(user["origin"] == .string("idp"))
            #expect(user["last_login"] != .null)
            #expect(try workspace.roles("alice") == ["admin", "viewer"])
            #expect(user["projects"] == .array([.object(["name": .string("apollo"), "role": .string("owner")])]))

            let sessions = try workspace.run(["users", "sessions", "alice"])
            #expect(sessions.exitCode == 0)
            #expect(sessions.stdout.contains("dashboard") && sessions.stdout.contains("roster"))

            let records = try workspace.audit("oidc.login")
            #expect(records.count == 1)
            #expect(records.first?["user"]?["email"] == .string("alice@example.com"))
            // Tokens appear nowhere Roster writes: not in the database, its WAL or the audit mirror.
            let stored = workspace.storedBytes()
            #expect(!stored.isEmpty)
            #expect(!stored.contains(tokens.refreshToken))
            #expect(!stored.contains(tokens.idToken))
            #expect(!login.all.contains(tokens.refreshToken))
            #expect(try workspace.run(["audit", "verify"]).exitCode == 0)

            // Signing in again changes nothing but adds a session.
            let again = try workspace.login(idToken: tokens.idToken)
            #expect(again.exitCode == 0, "\(again.all)")
            #expect(again.stdout.contains("up to date"))
            let json = try workspace.run(["users", "sessions", "alice", "--format", "json"])
            guard case .array(let list)? = try JSONValue.parse(Data(json.stdout.utf8))["sessions"] else {
                Issue.record("no sessions in \(json.all)")
                return
            }
            #expect(list.count == 2)
        }
    }

    @Test func changedClaimsChangeTheRolesAtTheNextReconcile() async throws {
        try await Self.withProvider { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let tokens = try await provider.signIn("alice")
            #expect(try workspace.login(idToken: tokens.idToken, refreshToken: tokens.refreshToken).exitCode == 0)

            var changed = Self.alice
            changed["groups"] = .array([.string("editors")])
            try await provider.setUser("alice", changed)
            try await Self.waitForRefresh()
            // A dry run never redeems a token (it may be rotated on use): it plans from what is stored.
            let dry = try workspace.run(["reconcile", "--dry-run"])
            #expect(dry.stdout.contains("due for a refresh"), "\(dry.all)")
            #expect(try workspace.roles("alice") == ["admin", "viewer"])

            let run = try workspace.run(["reconcile"])
            #expect(run.exitCode == 0, "\(run.all)")
            #expect(run.stdout.contains("roles +editor -admin"), "\(run.stdout)")
            #expect(try workspace.roles("alice") == ["editor", "viewer"])
            #expect(try workspace.user("alice")["projects"] == .array([]))

            let second = try workspace.run(["reconcile"])
            #expect(second.exitCode == 0)
            #expect(second.stdout.contains("0 created, 0 updated, 0 deactivated"), "\(second.stdout)")
        }
    }

    @Test func revokedTokensRemoveTheGrantsAndAreAudited() async throws {
        try await Self.withProvider { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let tokens = try await provider.signIn("alice")
            #expect(try workspace.login(idToken: tokens.idToken, refreshToken: tokens.refreshToken).exitCode == 0)

            try await provider.revokeTokens("alice")
            try await Self.waitForRefresh()
            let run = try workspace.run(["reconcile"])
            #expect(run.exitCode == 0, "\(run.all)")
            #expect(run.stdout.contains("deactivate  alice@example.com"), "\(run.stdout)")
            #expect(run.stdout.contains("invalid_grant"))

            let user = try workspace.user("alice")
            #expect(user["status"] == .string("inactive"))
            #expect(user["roles"] == .array([]))
            #expect(user["projects"] == .array([]))
            let failures = try workspace.audit("oidc.refresh_failed")
            #expect(failures.count == 1)
            #expect(failures.first?["user"]?["email"] == .string("alice@example.com"))
            #expect(!workspace.storedBytes().contains(tokens.refreshToken))

            // The issuer's word stands: later runs change nothing and never freeze the source.
            try await Self.waitForRefresh()
            let again = try workspace.run(["reconcile"])
            #expect(again.exitCode == 0, "\(again.all)")
            #expect(again.stdout.contains("0 created, 0 updated, 0 deactivated"), "\(again.stdout)")

            // Signing in again brings the person back with the same id.
            let id = user["id"]
            let fresh = try await provider.signIn("alice")
            #expect(try workspace.login(idToken: fresh.idToken, refreshToken: fresh.refreshToken).exitCode == 0)
            let back = try workspace.user("alice")
            #expect(back["id"] == id)
            #expect(back["status"] == .string("active"))
            #expect(try workspace.roles("alice") == ["admin", "viewer"])
        }
    }

    @Test func refusedTokensChangeNothing() async throws {
        try await Self.withProvider { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let genuine = try await provider.signIn("alice").idToken
            let parts = genuine.split(separator: ".").map(String.init)

            var elevated = try JSONValue.parse(Data(RosterOIDCTestBase64.decode(parts[1])))
            if case .object(var claims) = elevated {
                claims["groups"] = .array([.string("admins"), .string("root")])
                elevated = .object(claims)
            }
            let tampered = [parts[0], RosterOIDCTestBase64.encode(elevated.canonicalData), parts[2]]
            let unsigned = [RosterOIDCTestBase64.encode(Data(#"{"alg":"none"}"#.utf8)), parts[1], ""]
            let otherClient = try await provider.signIn("alice", clientID: "another-app").idToken

            let cases: [(String, String)] = [
                (tampered.joined(separator: "."), "does not verify"),
                (unsigned.joined(separator: "."), "alg none"),
                (String(genuine.dropLast(12)), "does not verify"),
                (otherClient, "none of the configured audiences"),
            ]
            for (token, reason) in cases {
                let outcome = try workspace.login(idToken: token)
                #expect(outcome.exitCode == 1, "\(outcome.all)")
                #expect(
                    outcome.stderr.contains("the ID token is refused") && outcome.stderr.contains(reason),
                    "\(outcome.stderr)")
                #expect(!outcome.stderr.contains(token))
            }
            let users = try workspace.run(["users", "list", "--all", "--format", "json"])
            #expect(try JSONValue.parse(Data(users.stdout.utf8))["total"] == .int(0), "\(users.all)")
            #expect(try workspace.run(["audit", "list", "--format", "json"]).stdout.contains("oidc.login") == false)
        }
    }

    @Test func anAdminsSuspensionOutlastsALogin() async throws {
        try await Self.withProvider { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let tokens = try await provider.signIn("alice")
            #expect(try workspace.login(idToken: tokens.idToken).exitCode == 0)
            let suspended = try workspace.run(["users", "deactivate", "alice"])
            #expect(suspended.exitCode == 0, "\(suspended.all)")
            let refused = try workspace.login(idToken: tokens.idToken)
            #expect(refused.exitCode == 1)
            #expect(refused.stderr.contains("an admin must activate it first"), "\(refused.stderr)")
            #expect(try workspace.user("alice")["status"] == .string("inactive"))
            #expect(try workspace.audit("oidc.login").count == 1)
        }
    }

    @Test func anSDKClientGivesAnSDKSession() async throws {
        try await Self.withProvider(audience: ["roster", "platform-sdk"]) { provider, workspace in
            try await provider.setUser("alice", Self.alice)
            let tokens = try await provider.signIn("alice", clientID: "platform-sdk")
            let login = try workspace.login(idToken: tokens.idToken)
            #expect(login.exitCode == 0, "\(login.all)")
            #expect(login.stdout.contains("session: sdk (platform-sdk)"))
            let sessions = try workspace.run(["users", "sessions", "alice@example.com"])
            #expect(sessions.stdout.contains("sdk"))
        }
    }
}

/// Base64url for building forged tokens in these tests.
enum RosterOIDCTestBase64 {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard) ?? Data()
    }
}

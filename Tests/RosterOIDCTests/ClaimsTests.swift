import Foundation
import RosterCore
import Testing

@testable import RosterOIDC

struct ClaimsTests {
    static let claims: JSONValue = .object([
        "sub": "u-1", "email": "alice@example.com", "preferred_username": "alice",
        "realm_access": .object(["roles": "platform-admin"]),
        "name": .object(["given": "Alice", "family": .array(["Liddell"])]),
    ])

    @Test func mapsDottedPathsAndCountsASingleStringAsAList() {
        let map = ClaimMap(
            id: "sub", username: "preferred_username", email: "email", firstName: "name.given",
            lastName: "name.family", groups: "realm_access.roles")
        let user = ClaimsMapping(source: "okta", map: map).sourceUser(Self.claims)
        #expect(user.externalID == "u-1")
        #expect(user.firstName == "Alice")
        #expect(user.lastName == "Liddell")
        #expect(user.dn == nil)
        #expect(ClaimPath.strings(at: "realm_access.roles", in: user.claims!) == ["platform-admin"])
    }

    @Test func anOverageMarkerKeepsTheLastKnownGroups() {
        let previous: JSONValue = .object(["sub": "u-1", "groups": .array(["admins", "proj-x-owners"])])
        for marker: (String, JSONValue) in [
            ("_claim_names", .object(["groups": "src1"])), ("hasgroups", .bool(true)), ("hasgroups", "true"),
        ] {
            let fresh: JSONValue = .object(["sub": "u-1", "email": "new@example.com", marker.0: marker.1])
            let merged = ClaimOverage.carryingGroups(from: previous, into: fresh, groupsPath: "groups")
            #expect(merged["groups"] == .array(["admins", "proj-x-owners"]))
            #expect(merged["email"] == "new@example.com")
        }
    }

    @Test func withoutAMarkerFreshClaimsReplaceTheGroups() {
        let previous: JSONValue = .object(["groups": .array(["admins"])])
        let fresh: JSONValue = .object(["groups": .array(["viewers"])])
        #expect(ClaimOverage.carryingGroups(from: previous, into: fresh, groupsPath: "groups") == fresh)
        let none: JSONValue = .object(["sub": "u-1"])
        #expect(ClaimOverage.carryingGroups(from: previous, into: none, groupsPath: "groups") == none)
    }

    @Test func overageCarriesNestedGroupPaths() {
        let previous: JSONValue = .object(["realm_access": .object(["roles": .array(["a", "b"])])])
        let fresh: JSONValue = .object(["hasgroups": .bool(true), "realm_access": .object(["other": "x"])])
        let merged = ClaimOverage.carryingGroups(from: previous, into: fresh, groupsPath: "realm_access.roles")
        #expect(merged["realm_access"]?["roles"] == .array(["a", "b"]))
        #expect(merged["realm_access"]?["other"] == "x")
    }

    @Test(arguments: [
        ("platform-web", SessionKind.dashboard), ("platform-sdk", .sdk), ("roster", .dashboard), ("SDK", .sdk),
        ("acme.cli", .sdk), ("sdkless-portal", .dashboard),
    ])
    func sessionTypeFollowsTheClientName(client: String, kind: SessionKind) {
        #expect(SessionClassifier.kind(ofClient: client) == kind)
    }

    @Test func theSessionClientIsAzpElseTheAudience() {
        func token(aud: [String], azp: String?) -> VerifiedIDToken {
            VerifiedIDToken(
                claims: .object([:]), issuer: "i", subject: "s", audiences: aud, authorizedParty: azp,
                issuedAt: Date(), expiresAt: Date())
        }
        let configured = ["roster", "platform-web", "platform-sdk"]
        #expect(
            SessionClassifier.classify(token(aud: ["roster", "x"], azp: "platform-sdk"), audiences: configured) == (
                .sdk, "platform-sdk"
            ))
        #expect(
            SessionClassifier.classify(token(aud: ["platform-web"], azp: nil), audiences: configured) == (
                .dashboard, "platform-web"
            ))
        #expect(
            SessionClassifier.classify(token(aud: ["other", "platform-sdk"], azp: nil), audiences: configured) == (
                .sdk, "platform-sdk"
            ))
    }
}

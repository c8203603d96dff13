import Foundation
import Testing

/// Manual roles and memberships next to mapped ones, and what roles add up to (SPEC §2, §5).
@Suite(.serialized)
struct AssignmentsEndToEndTests {
    @Test func aManualGrantSurvivesReconcileAndAMappedOneCannotBeRevoked() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let unknown = try demo.run(["users", "grant", "zoe", "superuser"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("unknown role \"superuser\"; the roles defined in"))
        #expect(unknown.stderr.contains("admin, editor, viewer, analyst, no-export"))

        let grant = try demo.run(["users", "grant", "zoe", "editor"])
        #expect(grant.exitCode == 0, "\(grant.stderr)")
        #expect(try demo.run(["users", "grant", "zoe", "viewer", "--project", "speech"]).exitCode == 0)
        let sync = try demo.run(["reconcile"])
        #expect(sync.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
        let zoe = try demo.user("zoe")
        #expect(zoe.roles.contains("editor"))
        let assignments = zoe["assignments"] as? [[String: Any]] ?? []
        #expect(assignments.contains { $0["name"] as? String == "editor" && $0["origin"] as? String == "manual" })
        #expect(assignments.contains { $0["project"] as? String == "speech" && $0["origin"] as? String == "manual" })

        let mapped = try demo.run(["users", "revoke", "zoe", "analyst"])
        #expect(mapped.exitCode == 1)
        #expect(mapped.stderr.contains("role analyst of zoe@example.com comes from mapping:data-team@demo"))
        let revoked = try demo.run(["users", "revoke", "zoe", "editor"])
        #expect(revoked.exitCode == 0)
        #expect(try !demo.user("zoe").roles.contains("editor"))
        let grants = try demo.auditRecords(action: "role.grant").filter { $0["actor"] as? String != "sync" }
        #expect(grants.count == 2)
        #expect(grants.allSatisfy { $0["actor"] as? String == DemoWorkspace.cliActor })
        #expect(try demo.auditRecords(action: "role.revoke").count == 1)
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func effectivePrivilegesLetADenyWinNamingTheDecidingRole() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let text = try demo.run(["roles", "show", "analyst", "--user", "zoe"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("data.export  deny    no-export  (overrides analyst: r)"))
        #expect(text.stdout.contains("reports      crud    analyst"))
        let json = try demo.json(["roles", "show", "analyst", "--user", "zoe"])
        let effective = (json["user"] as? [String: Any])?["effective"] as? [String: Any]
        let entities = effective?["entities"] as? [[String: Any]] ?? []
        let export = try #require(entities.first { $0["entity"] as? String == "data.export" })
        #expect(export["access"] as? String == "deny")
        #expect(export["decided_by"] as? [String] == ["no-export"])
        #expect((json["users"] as? [Any])?.count == 8)

        let list = try demo.json(["roles", "list"])
        let roles = list["roles"] as? [[String: Any]] ?? []
        let analyst = try #require(roles.first { $0["name"] as? String == "analyst" })
        #expect(analyst["privileges"] as? Int == 3)
        #expect(analyst["users"] as? Int == 8)
        #expect(
            try demo.run(["roles", "list"]).stdout.contains("viewer     2           52     Look at projects and jobs"))
        let show = try demo.run(["users", "show", "zoe"])
        #expect(show.stdout.contains("privileges (Deny > Allow; roles analyst, no-export, viewer):"))
        #expect(show.stdout.contains("sessions:    none recorded"))
        #expect(try demo.run(["roles", "show", "nope"]).exitCode == 2)
    }

    @Test func groupsShowMembersWithTheirGroupRole() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let list = try demo.run(["groups", "list"])
        #expect(list.stdout.contains("ml             1        1"))
        #expect(list.stdout.contains("team-ml        19       0"))
        #expect(try demo.run(["groups", "add", "ml", "alice"]).exitCode == 0)
        #expect(try demo.run(["groups", "add", "ml", "alice", "--role", "admin"]).exitCode == 0)
        let ml = try demo.json(["groups", "show", "ml"])
        let members = ml["members"] as? [[String: Any]] ?? []
        #expect(members.compactMap { $0["email"] as? String } == ["alice@example.com", "carol@example.com"])
        #expect(members.allSatisfy { $0["role"] as? String == "admin" })
        #expect(try demo.run(["reconcile"]).stdout.contains("0 created, 0 updated"))
        let mapped = try demo.run(["groups", "remove", "ml", "carol"])
        #expect(mapped.exitCode == 1)
        #expect(mapped.stderr.contains("mapping:team-leads@demo"))
        #expect(try demo.run(["groups", "remove", "ml", "alice"]).exitCode == 0)
        #expect(try demo.run(["groups", "show", "nope"]).exitCode == 1)
        #expect(try demo.auditRecords(action: "group.role").count == 1)
    }

    @Test func aNewProjectOwnerDemotesThePreviousOneAndSyncKeepsIt() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let before = try demo.run(["projects", "list"])
        #expect(before.stdout.contains("vision   peggy@example.com   11       10     0"))
        let add = try demo.run(["projects", "add", "vision", "kira.meyer", "--role", "owner"])
        #expect(add.exitCode == 0, "\(add.stderr)")
        #expect(add.stdout.contains("peggy@example.com was owner of project vision and is now a user"))
        let vision = try demo.json(["projects", "show", "vision"])
        #expect(vision["owner"] as? String == "kira.meyer@example.com")
        #expect(try demo.user("peggy").membership("projects") == ["vision": "user"])
        let sets = try demo.auditRecords(action: "project.set").filter { $0["actor"] as? String != "sync" }
        #expect(sets.count == 2)
        #expect(Set(sets.compactMap { $0["time"] as? String }).count == 1)

        let sync = try demo.run(["reconcile"])
        #expect(sync.exitCode == 0)
        #expect(sync.stdout.contains("0 created, 0 updated"))
        #expect(try demo.json(["projects", "show", "vision"])["owner"] as? String == "kira.meyer@example.com")
        #expect(try demo.user("peggy").membership("projects") == ["vision": "user"])

        #expect(try demo.run(["projects", "add", "vision", "zoe", "--role", "read-only"]).exitCode == 0)
        #expect(try demo.user("zoe").membership("projects") == ["vision": "read-only"])
        let mapped = try demo.run(["projects", "remove", "vision", "peggy"])
        #expect(mapped.exitCode == 1)
        #expect(mapped.stderr.contains("mapping:project-owners@demo"))
        #expect(try demo.run(["projects", "remove", "vision", "zoe"]).exitCode == 0)
        #expect(try demo.user("zoe").membership("projects").isEmpty)
        #expect(try demo.run(["audit", "verify"]).exitCode == 0)
    }
}

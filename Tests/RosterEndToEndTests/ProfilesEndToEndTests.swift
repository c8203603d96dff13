import Foundation
import RosterTestSupport
import Testing

/// The platform profiles of config/examples, each loaded and reconciled against the demo
/// directory, then checked on a few people the demo README describes.
@Suite(.serialized)
struct ProfilesEndToEndTests {
    /// A demo workspace with config/examples beside config/demo, reconciled with one profile.
    struct Profile {
        let demo: DemoWorkspace
        let config: String

        init(_ name: String) throws {
            demo = try DemoWorkspace()
            let examples = demo.root.appendingPathComponent("config/examples")
            try FileManager.default.copyItem(
                at: DemoWorkspace.repositoryRoot.appendingPathComponent("config/examples"), to: examples)
            config = "config/examples/\(name).yaml"
        }

        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil) throws -> RosterBinary.Outcome {
            try demo.roster.run(["--config", config] + arguments, stdin: stdin)
        }

        func json(_ arguments: [String]) throws -> [String: Any] {
            let outcome = try run(arguments + ["--format", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            return try #require(object, "\(arguments.joined(separator: " ")): \(outcome.stderr)")
        }

        /// Checks the file, reconciles twice (the second plans nothing), and returns the first plan.
        func reconcile(expecting created: Int) throws {
            let check = try run(["config", "check"])
            #expect(check.exitCode == 0, "\(config): \(check.stderr)")
            let first = try run(["reconcile"])
            #expect(first.exitCode == 0, "\(config): \(first.stderr)")
            #expect(first.stdout.contains("\(created) created, 0 updated"), "\(first.stdout)")
            let second = try run(["reconcile"])
            #expect(second.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
        }

        func user(_ reference: String) throws -> [String: Any] { try json(["users", "show", reference]) }
    }

    @Test func wallarooHasTypesOnly() throws {
        let profile = try Profile("wallaroo")
        defer { profile.demo.remove() }
        try profile.reconcile(expecting: 50)
        for admin in ["olivia", "alice", "judy"] {
            let user = try profile.user(admin)
            #expect(user["type"] as? String == "admin", "\(admin)")
            #expect(user.roles.isEmpty)
        }
        #expect(try profile.user("zoe")["type"] as? String == "user")
        let roles = try profile.run(["roles", "list"])
        #expect(roles.stdout.contains("no roles"))
        // The console's powers, from the command line: a local user with a temporary password…
        let created = try profile.run(
            ["users", "create", "--email", "analyst@example.com", "--password-stdin", "--temporary"],
            stdin: "temporary-pass")
        #expect(created.exitCode == 0)
        #expect(try profile.run(["users", "edit", "analyst@example.com", "--type", "admin"]).exitCode == 0)
        // …while a synced user's type belongs to the groups that set it.
        let owned = try profile.run(["users", "edit", "zoe", "--type", "admin"])
        #expect(owned.exitCode == 1)
        #expect(owned.stderr.contains("mapping:platform-users@demo"))
    }

    @Test func designerCloudHasWorkspaceRolesPlatformAdminAndDeployment() throws {
        let profile = try Profile("designer-cloud")
        defer { profile.demo.remove() }
        try profile.reconcile(expecting: 50)
        let olivia = try profile.user("olivia")
        #expect(olivia["type"] as? String == "admin")
        #expect(olivia.roles.contains("platform-admin"))
        #expect(try profile.user("jose").roles == ["deployment", "flow-author", "flow-viewer"])
        #expect(try profile.user("carol").roles.contains("workspace-admin"))
        #expect(try profile.user("zoe").roles == ["flow-author", "flow-viewer"])
        let list = try profile.json(["roles", "list"])
        let counts = Dictionary(
            uniqueKeysWithValues: (list["roles"] as? [[String: Any]] ?? []).map {
                ($0["name"] as? String ?? "", $0["users"] as? Int ?? -1)
            })
        #expect(counts["platform-admin"] == 5)
        #expect(counts["deployment"] == 13)
        #expect(counts["flow-viewer"] == 50)
        // Deployment management is given by hand too, as the console's checkbox does.
        #expect(try profile.run(["users", "grant", "zoe", "deployment"]).exitCode == 0)
        #expect(try profile.run(["reconcile"]).stdout.contains("0 created, 0 updated"))
        #expect(try profile.user("zoe").roles.contains("deployment"))
    }

    @Test func gathrMapsLDAPGroupsToRolesAndItsCustomRoleDenies() throws {
        let profile = try Profile("gathr")
        defer { profile.demo.remove() }
        try profile.reconcile(expecting: 50)
        #expect(try profile.user("olivia").roles.contains("system-admin"))
        #expect(try profile.user("lukasz").roles.contains("workspace-admin"))
        #expect(try profile.user("alice").roles.contains("data-analyst-1"))
        #expect(try profile.user("zoe").roles == ["data-analyst-2", "read-only", "restricted-data"])
        let show = try profile.run(["roles", "show", "restricted-data", "--user", "zoe"])
        #expect(show.exitCode == 0)
        #expect(
            show.stdout.contains(
                "project.import-export-entities  deny    restricted-data  (overrides data-analyst-2: crud)"))
        #expect(
            show.stdout.contains(
                "workspace.connections           deny    restricted-data  (overrides data-analyst-2: r)"))
        // Without the custom role, the same analyst may export.
        let hiro = try profile.json(["roles", "show", "data-analyst-2", "--user", "hiro.hayashi"])
        let entities = ((hiro["user"] as? [String: Any])?["effective"] as? [String: Any])?["entities"]
        let export = (entities as? [[String: Any]] ?? []).first {
            $0["entity"] as? String == "project.import-export-entities"
        }
        #expect(export?["access"] as? String == "crud")
        let list = try profile.run(["roles", "list"])
        #expect(list.stdout.contains("restricted-data  3           8"))
    }

    @Test func runaiHasTheSevenRolesWithTheirMatrix() throws {
        let profile = try Profile("runai")
        defer { profile.demo.remove() }
        try profile.reconcile(expecting: 50)
        let roles = try profile.json(["roles", "list"])["roles"] as? [[String: Any]] ?? []
        #expect(
            roles.compactMap { $0["name"] as? String } == [
                "administrator", "department-administrator", "editor", "research-manager", "researcher",
                "ml-engineer", "viewer",
            ])
        let privileges = Dictionary(
            uniqueKeysWithValues: roles.map { ($0["name"] as? String ?? "", $0["privileges"] as? Int ?? -1) })
        #expect(privileges["administrator"] == 19)
        #expect(privileges["viewer"] == 9)
        let researcher = try profile.json(["roles", "show", "researcher"])
        let matrix = Dictionary(
            uniqueKeysWithValues: (researcher["privileges"] as? [[String: Any]] ?? []).map {
                ($0["entity"] as? String ?? "", $0["access"] as? String ?? "")
            })
        #expect(matrix["jobs"] == "crud" && matrix["workspaces"] == "crud" && matrix["projects"] == "r")
        #expect(matrix["deployments"] == nil)  // N/A in the matrix: not granted
        // ivan is an administrator (through ml-interns → ml-core → ml-admins) and a researcher.
        let ivan = try profile.run(["roles", "show", "researcher", "--user", "ivan"])
        #expect(ivan.stdout.contains("jobs                    crud    administrator, researcher, viewer"))
        let peggy = try profile.user("peggy")
        #expect(peggy.roles.contains("research-manager"))
        #expect(peggy.membership("projects") == ["vision": "owner"])
        #expect(try profile.user("kira.meyer").membership("projects") == ["speech": "user", "vision": "user"])
        #expect(try profile.user("zoe").roles == ["ml-engineer", "viewer"])
    }

    @Test func trueraHasGroupAdminsAndOneProjectOwner() throws {
        let profile = try Profile("truera")
        defer { profile.demo.remove() }
        try profile.reconcile(expecting: 50)
        let ml = try profile.json(["groups", "show", "ml"])
        let members = ml["members"] as? [[String: Any]] ?? []
        #expect(members.first?["email"] as? String == "carol@example.com")
        #expect(members.first?["role"] as? String == "admin")
        #expect(members.dropFirst().allSatisfy { $0["role"] as? String == "member" })
        #expect(try profile.user("lukasz").membership("groups")["data"] == "admin")

        let vision = try profile.json(["projects", "show", "vision"])
        #expect(vision["owner"] as? String == "peggy@example.com")
        let roles = Dictionary(
            uniqueKeysWithValues: (vision["members"] as? [[String: Any]] ?? []).map {
                ($0["email"] as? String ?? "", $0["role"] as? String ?? "")
            })
        #expect(roles["zoe@example.com"] == "read-only")
        #expect(roles["elif.eriksen@example.com"] == "user")  // user > read-only
        #expect(roles.values.filter { $0 == "owner" }.count == 1)

        // Promoting a user to owner makes the previous owner a user, and sync keeps it so.
        #expect(try profile.run(["projects", "add", "vision", "elif.eriksen", "--role", "owner"]).exitCode == 0)
        #expect(try profile.run(["reconcile"]).stdout.contains("0 created, 0 updated"))
        let after = try profile.json(["projects", "show", "vision"])
        #expect(after["owner"] as? String == "elif.eriksen@example.com")
        #expect(try profile.user("peggy").membership("projects") == ["vision": "user"])
        // A group admin promoted by hand, as TruEra's admins do.
        #expect(try profile.run(["groups", "add", "data", "zoe", "--role", "admin"]).exitCode == 0)
        #expect(try profile.user("zoe").membership("groups")["data"] == "admin")
        #expect(try profile.run(["audit", "verify"]).exitCode == 0)
    }
}

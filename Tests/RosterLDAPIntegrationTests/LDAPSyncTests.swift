import Foundation
import Testing

extension ReadOnlyDirectoryTests {
    /// Full syncs through the built `roster` binary: what a sync creates, over plain LDAP, LDAPS
    /// and StartTLS, and with the first server of the url list down or the bind password wrong.
    @Suite struct LDAPSyncTests {
        private func plain(_ server: SlapdServer) -> LDAPWorkspace.Connection {
            LDAPWorkspace.Connection(urls: [server.url])
        }

        @Test func fullSyncCreatesExactlyTheExpectedDirectory() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(plain(server))
            defer { workspace.remove() }

            let first = try workspace.run(["reconcile"])
            #expect(first.exitCode == 0, "\(first.all)")
            #expect(first.stdout.contains("corp: \(TestDirectory.userCount) users, 7 groups read in"))
            #expect(first.stdout.contains("\(TestDirectory.activeCount) created, 0 updated, 0 deactivated"))
            #expect(!first.all.contains(TestDirectory.bindPassword))

            let users = try workspace.users()
            #expect(users.count == TestDirectory.activeCount)
            #expect(users.allSatisfy { $0["status"] as? String == "active" && $0["origin"] as? String == "corp" })
            // Locked in slapd (pwdAccountLockedTime): never created.
            #expect(!users.contains { $0["username"] as? String == "locked.user" })

            let admins = users.filter { $0["type"] as? String == "admin" }.compactMap { $0["username"] as? String }
            // alice is in ml-core, judy in ml-interns: both reach platform-admins, judy through a cycle.
            #expect(admins.sorted() == ["alice", "judy"])
            let alice = try #require(try workspace.user("alice"))
            #expect(alice["roles"] as? [String] == ["admin", "viewer"])

            let zoe = try #require(try workspace.user("zoe"))
            #expect(zoe["first_name"] as? String == "Zoë")
            #expect(zoe["last_name"] as? String == "Ångström")
            #expect((zoe["roles"] as? [String])?.contains("analyst") == true)  // cn=Data\, Team
            let jurgen = try #require(try workspace.user("jürgen.müller"))
            #expect(jurgen["email"] as? String == "juergen.mueller@example.com")
            #expect((jurgen["roles"] as? [String])?.contains("analyst") == true)

            let oscar = try #require(try workspace.user("oscar"))
            let oscarGroups = (oscar["groups"] as? [[String: String]] ?? []).compactMap { $0["name"] }
            #expect(oscarGroups == ["cycle-a", "cycle-b"])
            // An `attribute:` selector: departmentNumber is requested because a mapping reads it.
            let rosa = try #require(try workspace.user("rosa"))
            #expect((rosa["roles"] as? [String])?.contains("editor") == true)
            let plainUser = try #require(try workspace.user("user2600"))
            #expect(plainUser["roles"] as? [String] == ["viewer"])
            #expect(plainUser["type"] as? String == "user")

            let second = try workspace.run(["reconcile"])
            #expect(second.exitCode == 0, "\(second.all)")
            #expect(second.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
        }

        @Test func ldapsWithTheTestCASucceeds() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(.init(urls: [server.tlsURL], caFile: server.certificates.caFile))
            defer { workspace.remove() }
            let outcome = try workspace.run(["reconcile", "--dry-run"])
            #expect(outcome.exitCode == 0, "\(outcome.all)")
            #expect(outcome.stdout.contains("corp: \(TestDirectory.userCount) users"))
        }

        @Test func startTLSWithTheTestCASucceeds() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(
                .init(urls: [server.url], caFile: server.certificates.caFile, startTLS: true))
            defer { workspace.remove() }
            let outcome = try workspace.run(["reconcile", "--dry-run"])
            #expect(outcome.exitCode == 0, "\(outcome.all)")
            #expect(outcome.stdout.contains("corp: \(TestDirectory.userCount) users"))
        }

        @Test(arguments: [false, true])
        func aWrongCAFailsClearlyAndDeactivatesNobody(startTLS: Bool) throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(plain(server))
            defer { workspace.remove() }
            try #require(try workspace.run(["reconcile"]).exitCode == 0)

            try workspace.configure(
                .init(
                    urls: [startTLS ? server.url : server.tlsURL], caFile: server.certificates.otherCAFile,
                    startTLS: startTLS))
            let outcome = try workspace.run(["reconcile"])
            #expect(outcome.exitCode == 4, "\(outcome.all)")
            #expect(outcome.stdout.contains("frozen"))
            #expect(outcome.all.contains("tls.ca_file"), "\(outcome.all)")
            #expect(outcome.all.localizedCaseInsensitiveContains("certificate"), "\(outcome.all)")
            #expect(outcome.stdout.contains("0 deactivated"))
            let users = try workspace.users()
            #expect(users.count == TestDirectory.activeCount)
            #expect(users.allSatisfy { $0["status"] as? String == "active" })
        }

        @Test func aCertificateForAnotherHostIsRefused() throws {
            let server = try SlapdServer.require()
            // The right CA, but the certificate names 127.0.0.1 and localhost, not 127.0.0.2.
            let workspace = try LDAPWorkspace(.init(urls: [server.unnamedTLSURL], caFile: server.certificates.caFile))
            defer { workspace.remove() }
            let outcome = try workspace.run(["reconcile"])
            #expect(outcome.exitCode == 4, "\(outcome.all)")
            #expect(outcome.all.contains("\(server.unnamedTLSURL): bind as"), "\(outcome.all)")
            #expect(outcome.all.contains("it does not name the host of the URL"), "\(outcome.all)")
            #expect(outcome.stdout.contains("0 created, 0 updated, 0 deactivated"))
        }

        @Test func insecureSkipVerifyConnectsAndWarnsOnEveryRun() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(
                .init(urls: [server.tlsURL], caFile: server.certificates.otherCAFile, insecureSkipVerify: true))
            defer { workspace.remove() }
            for _ in 0..<2 {
                let outcome = try workspace.run(["reconcile"])
                #expect(outcome.exitCode == 0, "\(outcome.all)")
                #expect(outcome.stdout.contains("! warning     corp: tls.insecure_skip_verify is true"))
            }
        }

        @Test func theSecondURLIsUsedWhenTheFirstIsDown() throws {
            let server = try SlapdServer.require()
            let closed = try SlapdServer.freePort()
            let workspace = try LDAPWorkspace(.init(urls: ["ldap://127.0.0.1:\(closed)", server.url]))
            defer { workspace.remove() }
            let outcome = try workspace.run(["reconcile"])
            #expect(outcome.exitCode == 0, "\(outcome.all)")
            #expect(outcome.stdout.contains("\(TestDirectory.activeCount) created"))
            #expect(outcome.stdout.contains("skipped ldap://127.0.0.1:\(closed)"))
        }

        @Test func aWrongBindPasswordExits4AndChangesNothing() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(plain(server))
            defer { workspace.remove() }
            try #require(try workspace.run(["reconcile"]).exitCode == 0)
            let before = try workspace.run(["audit", "list", "--format", "json"]).stdout

            let wrong = "Not-The-Password-41"
            try workspace.setPassword(wrong + "\n")
            let outcome = try workspace.run(["reconcile"])
            #expect(outcome.exitCode == 4, "\(outcome.all)")
            #expect(outcome.all.contains("Invalid credentials"))
            #expect(outcome.all.contains("bind as \(TestDirectory.bindDN)"))
            #expect(!outcome.all.contains(wrong))
            #expect(outcome.stdout.contains("0 created, 0 updated, 0 deactivated, 0 reactivated, 0 deleted"))
            #expect(try workspace.users().allSatisfy { $0["status"] as? String == "active" })
            #expect(try workspace.run(["audit", "list", "--format", "json"]).stdout == before)
        }
    }
}

import Foundation
import Testing

extension ReadOnlyDirectoryTests {
    /// `roster config check --connect`: bind, one user, one group; or the exact failure.
    @Suite struct ConfigCheckConnectTests {
        @Test func printsWhatItFound() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(.init(urls: [server.url]))
            defer { workspace.remove() }
            let outcome = try workspace.run(["config", "check", "--connect"])
            #expect(outcome.exitCode == 0, "\(outcome.all)")
            #expect(outcome.stdout.contains("corp: ok"))
            #expect(outcome.stdout.contains("bound to \(server.url) as \(TestDirectory.bindDN)"))
            #expect(outcome.stdout.contains("users: found uid="))
            #expect(outcome.stdout.contains("groups: found cn="))
            // Nothing was written: --connect only reads.
            #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
        }

        @Test func printsTheExactFailureAndExits4() throws {
            let server = try SlapdServer.require()
            let workspace = try LDAPWorkspace(.init(urls: [server.url]))
            defer { workspace.remove() }
            try workspace.setPassword("wrong\n")
            let badPassword = try workspace.run(["config", "check", "--connect"])
            #expect(badPassword.exitCode == 4)
            #expect(badPassword.stdout.contains("corp: FAILED"))
            #expect(
                badPassword.stdout.contains(
                    "\(server.url): bind as \(TestDirectory.bindDN) failed: Invalid credentials"))

            try workspace.setPassword(TestDirectory.bindPassword)
            try workspace.configure(.init(urls: [server.tlsURL], caFile: server.certificates.otherCAFile))
            let badCA = try workspace.run(["config", "check", "--connect"])
            #expect(badCA.exitCode == 4)
            #expect(badCA.stdout.contains("corp: FAILED"))
            #expect(badCA.stdout.contains("tls.ca_file"), "\(badCA.stdout)")
        }
    }
}

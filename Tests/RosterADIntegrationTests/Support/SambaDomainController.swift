import Foundation
import RosterTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway Samba AD domain controller on a loopback address of its own, serving LDAP only:
/// a copy of `SambaTemplate` (so loaded with `ADFixture`), started with `samba -i` in the
/// foreground. Listens on ldap:// (simple binds allowed, StartTLS) and ldaps://, with the CA in
/// `caFile`. `stop()` it when done (or use the `.sambaDomainController` trait, which does).
final class SambaDomainController: Sendable {
    /// The copy: database, configuration, log.
    let root: URL
    let certificates: TestCertificates
    private let lease: LoopbackLease
    private let process = Mutex<SpawnedProcess?>(nil)

    /// The DC of the test being run (set by `SambaScope`).
    @TaskLocal static var current: SambaDomainController?

    /// 127.0.10.x: see `LoopbackLease` for why each DC has its own.
    var address: String { lease.address }
    var ldapURL: String { "ldap://\(address)" }
    var ldapsURL: String { "ldaps://\(address)" }
    var globalCatalogURL: String { "ldap://\(address):3268" }
    var caFile: String { certificates.caFile }
    /// A CA that did not issue the DC's certificate.
    var otherCAFile: String { certificates.otherCAFile }

    var baseDN: String { ADFixture.baseDN }
    /// ROSTER.TEST.
    var realm: String { ADFixture.realm }
    /// ROSTER.
    var netbiosDomain: String { ADFixture.netbiosDomain }
    var administratorDN: String { ADFixture.administrator.dn }
    var administratorPassword: String { ADFixture.administrator.password }

    /// The account Roster binds with, and its password in a file of mode 0600 (no newline).
    struct ServiceAccount: Sendable {
        var dn: String
        var userPrincipalName: String
        /// ROSTER\roster-svc.
        var downLevelName: String
        var password: String
        var passwordFile: String
    }

    var serviceAccount: ServiceAccount {
        let account = ADFixture.serviceAccount
        return ServiceAccount(
            dn: account.dn, userPrincipalName: account.userPrincipalName, downLevelName: account.downLevelName,
            password: account.password, passwordFile: root.appendingPathComponent("service-account.secret").path)
    }

    var configFile: URL { root.appendingPathComponent("smb.conf") }
    var logFile: URL { root.appendingPathComponent("samba.log") }

    /// Copies the template (provisioning it first, once per process), then starts Samba and waits
    /// until it answers LDAP. Provisioning takes about ten seconds, a copy and start about one.
    static func start() async throws -> SambaDomainController {
        let template = try await SambaTemplate.shared()
        // Off the concurrency pool: copying and waiting for Samba block a thread.
        return try await offPool { try SambaDomainController(template: template) }
    }

    private init(template: SambaTemplate) throws {
        lease = try LoopbackLease.acquire()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-samba-dc-\(UUID().uuidString)")
        do {
            try template.copy(to: root)
            certificates = TestCertificates(existingIn: root.appendingPathComponent("tls"))
            try SambaConfiguration.text(folder: root.path, address: lease.address, certificates: certificates)
                .write(to: configFile, atomically: true, encoding: .utf8)
            // Private from the start, as Roster wants secret files.
            guard
                FileManager.default.createFile(
                    atPath: serviceAccount.passwordFile, contents: Data(serviceAccount.password.utf8),
                    attributes: [.posixPermissions: 0o600])
            else { throw ExternalTool.Failed(description: "cannot write \(serviceAccount.passwordFile)") }
            try launch()
        } catch {
            lease.release()
            try? FileManager.default.removeItem(at: root)
            throw error
        }
    }

    deinit { stop() }

    // MARK: - Running

    private func launch() throws {
        // A pid file left by a killed Samba would stop the next one when its pid is in use again.
        try? FileManager.default.removeItem(at: root.appendingPathComponent("samba.pid"))
        // -M single: one process, no children to outlive a SIGKILL. The maximum runtime ends a
        // DC whose test run died without stopping it.
        let samba = try SpawnedProcess(
            SambaInstallation.samba,
            ["-i", "-M", "single", "--maximum-runtime=3600", "-d", "1", "-s", configFile.path],
            output: logFile.path)
        process.withLock { $0 = samba }
        do {
            try waitUntilAnswering(samba)
        } catch {
            samba.stop(grace: .seconds(5))
            throw error
        }
    }

    private func waitUntilAnswering(_ samba: SpawnedProcess) throws {
        // Bounded by `timeout`: a DC still starting may accept the connection and answer nothing
        // for a long while, and ldapsearch has no timeout for the answer itself.
        let ldapsearch = try ExternalTool("/usr/bin/timeout")
        let rootDSE = [
            "5", SambaInstallation.ldapsearch, "-x", "-LLL", "-o", "nettimeout=2", "-H", ldapURL, "-s", "base", "-b",
            "", "defaultNamingContext",
        ]
        let deadline = ContinuousClock.now + .seconds(60)
        while samba.isRunning, ContinuousClock.now < deadline {
            if let outcome = try? ldapsearch.run(rootDSE), outcome.exitCode == 0,
                outcome.output.contains("defaultNamingContext")
            {
                return
            }
            usleep(50_000)
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        throw ExternalTool.Failed(
            description: "Samba did not answer LDAP on \(ldapURL) (\(samba.isRunning ? "timed out" : "exited")):"
                + " \(log.suffix(3000))")
    }

    /// SIGKILL, as a crashed or power-cut DC: no goodbye to connected clients. Keeps the address
    /// and the data for `restart()`.
    func kill() {
        process.withLock { samba in
            samba?.stop(with: SIGKILL)
            samba = nil
        }
    }

    /// Starts Samba again on the same address and data (after `kill`).
    func restart() async throws {
        kill()
        try await offPool { try self.launch() }
    }

    /// SIGTERM, SIGKILL after five seconds, then frees the address and removes the copy. Again
    /// does nothing.
    func stop() {
        process.withLock { samba in
            samba?.stop(grace: .seconds(5))
            samba = nil
        }
        lease.release()
        try? FileManager.default.removeItem(at: root)
    }
}

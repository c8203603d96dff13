import Foundation
import RosterTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway OpenLDAP server on loopback: Debian's slapd, run as the current user with a
/// cn=config, an mdb database and certificates of its own in a temp folder, loaded with
/// `TestDirectory`. Listens on `ldap://` (with StartTLS) and `ldaps://`.
final class SlapdServer: Sendable {
    let root: URL
    let port: Int
    let tlsPort: Int
    let certificates: TestCertificates
    private let process = Mutex<SpawnedProcess?>(nil)

    /// The server of the suite being run (set by `SlapdScope`).
    @TaskLocal static var current: SlapdServer?

    var url: String { "ldap://127.0.0.1:\(port)" }
    var tlsURL: String { "ldaps://127.0.0.1:\(tlsPort)" }
    /// Also slapd, on a loopback address its certificate does not name: host-name checking
    /// must refuse it.
    var unnamedTLSURL: String { "ldaps://127.0.0.2:\(tlsPort)" }
    var logFile: URL { root.appendingPathComponent("slapd.log") }

    /// Makes the certificates, the configuration and the database, then starts slapd.
    static func start(syncprov: SlapdConfiguration.Syncprov? = nil) throws -> SlapdServer {
        var attempt = 0
        while true {
            attempt += 1
            let root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "roster-slapd-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let server = try SlapdServer(root: root, syncprov: syncprov)
            do {
                try server.launch()
                return server
            } catch {
                server.stop()
                // Other suites and test processes pick free ports too, and one may have taken a
                // port between `freePort` and slapd's bind ("Address already in use"): new ports.
                guard attempt < 3 else { throw error }
            }
        }
    }

    private init(root: URL, syncprov: SlapdConfiguration.Syncprov?) throws {
        self.root = root
        let slapadd = try ExternalTool("/usr/sbin/slapadd")
        _ = try ExternalTool("/usr/sbin/slapd")
        certificates = try TestCertificates(in: root)
        port = try Self.freePort()
        tlsPort = try Self.freePort()
        let configFolder = root.appendingPathComponent("slapd.d")
        for folder in [configFolder, root.appendingPathComponent("db")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let config = root.appendingPathComponent("config.ldif")
        try SlapdConfiguration.ldif(root: root.path, certificates: certificates, syncprov: syncprov)
            .write(to: config, atomically: true, encoding: .utf8)
        try slapadd.succeed(["-n0", "-F", configFolder.path, "-l", config.path])
        let data = root.appendingPathComponent("data.ldif")
        try TestDirectory.ldif.write(to: data, atomically: true, encoding: .utf8)
        // Offline and quick (-q): a few thousand entries in well under a second.
        try slapadd.succeed(["-q", "-n1", "-F", configFolder.path, "-l", data.path])
    }

    // MARK: - Running

    private func launch() throws {
        // -d keeps slapd in the foreground; `stats` logs each operation, which the tests read.
        // The second ldaps:// listener is on an address the certificate does not name.
        let slapd = try SpawnedProcess(
            "/usr/sbin/slapd",
            [
                "-h", "\(url)/ \(tlsURL)/ \(unnamedTLSURL)/", "-F", root.appendingPathComponent("slapd.d").path,
                "-d", "stats",
            ], output: logFile.path)
        process.withLock { $0 = slapd }
        try waitUntilListening(slapd)
    }

    private func waitUntilListening(_ slapd: SpawnedProcess) throws {
        for _ in 0..<200 {
            guard slapd.isRunning else { break }
            if Self.accepts(port), Self.accepts(tlsPort) { return }
            usleep(25_000)
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        throw ExternalTool.Failed(description: "slapd did not start listening on \(url): \(log.suffix(2000))")
    }

    /// SIGKILL, as a crashed or power-cut server: no goodbye to connected clients.
    func kill() {
        process.withLock { slapd in
            slapd?.stop(with: SIGKILL)
            slapd = nil
        }
    }

    /// Starts slapd again on the same ports and data (after `kill`).
    func restart() throws {
        kill()
        try launch()
    }

    /// SIGTERM and wait, then remove the folder.
    func stop() {
        process.withLock { slapd in
            slapd?.stop(with: SIGTERM)
            slapd = nil
        }
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Changing the directory

    /// Applies an LDIF change record (RFC 2849) as the directory's administrator; `manageDSAIT`
    /// acts on a referral entry itself rather than being referred (RFC 3296).
    func modify(_ ldif: String, manageDSAIT: Bool = false) throws {
        try ExternalTool("/usr/bin/ldapmodify").succeed(
            ["-x", "-H", url, "-D", TestDirectory.adminDN, "-w", TestDirectory.adminPassword]
                + (manageDSAIT ? ["-M"] : []), input: ldif)
    }

    /// Runs `ldapsearch` as the bind account; `extra` comes before the filter.
    func searchAsBindAccount(base: String, filter: String, extra: [String] = []) throws -> ExternalTool.Outcome {
        try ExternalTool("/usr/bin/ldapsearch").run(
            ["-x", "-LLL", "-H", url, "-D", TestDirectory.bindDN, "-w", TestDirectory.bindPassword, "-b", base]
                + extra + [filter, "1.1"])
    }

    // MARK: - Ports

    /// A port nothing listens on now: bound to port 0, read back, closed.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ExternalTool.Failed(description: "socket() failed") }
        defer { close(socketFD) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw ExternalTool.Failed(description: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

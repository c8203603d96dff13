import Foundation
import RosterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The Debian tools a test domain controller needs, and whether this machine can run one.
enum SambaInstallation {
    static let samba = "/usr/sbin/samba"
    static let sambaTool = "/usr/bin/samba-tool"
    static let ldbsearch = "/usr/bin/ldbsearch"
    static let ldbmodify = "/usr/bin/ldbmodify"
    static let ldapsearch = "/usr/bin/ldapsearch"
    static let ldapmodify = "/usr/bin/ldapmodify"
    static let openssl = "/usr/bin/openssl"
    static let tools = [samba, sambaTool, ldbsearch, ldbmodify, ldapsearch, ldapmodify, openssl]

    static let packages = "samba samba-ad-dc samba-ad-provision ldb-tools winbind krb5-user ldap-utils openssl"

    static var isInstalled: Bool { tools.allSatisfy(FileManager.default.isExecutableFile) }

    /// Samba's LDAP server listens on 389 and 636 and nothing else (there is no port option), so
    /// it needs root, or unprivileged ports lowered to 389.
    static var mayBindLDAPPorts: Bool {
        if geteuid() == 0 { return true }
        let start = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8)
        return start.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.map { $0 <= 389 } ?? false
    }

    /// In CI a missing server is a failure, not a skip (SPEC §9).
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var canRun: Bool { isInstalled && mayBindLDAPPorts }

    /// Throws what is missing and how to get it.
    static func check() throws {
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else {
            throw ExternalTool.Missing(
                description: "\(missing.joined(separator: ", ")) not installed; the AD integration tests run"
                    + " their own Samba domain controllers: run scripts/install-deps --test (\(packages))")
        }
        guard mayBindLDAPPorts else {
            throw ExternalTool.Failed(
                description: "Samba's LDAP ports are fixed at 389 and 636: run the AD integration tests as root"
                    + " (or with net.ipv4.ip_unprivileged_port_start=389)")
        }
    }

    /// `samba --version`, part of the template cache's key: a new Samba provisions anew.
    static let version: String = {
        (try? ExternalTool(samba).run(["--version"]).output) ?? "unknown"
    }()
}

extension Trait where Self == ConditionTrait {
    /// Skips when the machine cannot run Samba, except in CI, where the test fails instead and
    /// says what is missing.
    static var sambaAvailable: Self {
        .enabled(
            if: SambaInstallation.canRun || SambaInstallation.isRequired,
            "needs Samba's AD DC (scripts/install-deps --test) and root for its fixed ports 389 and 636")
    }
}

import Foundation
import RosterTestSupport

/// Makes a template domain: `samba-tool domain provision`, then the fixture written offline into
/// its sam.ldb with `ldbmodify` (no DC started: as quick as over LDAP, with no port or TLS to
/// wait for), and the certificates every DC uses.
enum SambaProvisioning {
    /// Bump when the template changes in a way the cache key does not see.
    static let format = "1"

    static let provisionOptions = [
        "--realm=\(ADFixture.realm)", "--domain=\(ADFixture.netbiosDomain)", "--host-name=\(ADFixture.hostName)",
        "--adminpass=\(ADFixture.administrator.password)", "--server-role=dc", "--dns-backend=NONE",
        "--backend-store=mdb", "--use-rfc2307", "--option=ldb:nosync = true",
    ]

    /// Names the cached template: a new Samba, fixture or provisioning makes a new one.
    static var cacheKey: String {
        var hash = StableHash()
        for part in [format, SambaInstallation.version, ADFixture.ldif] + provisionOptions + LoopbackLease.addresses {
            hash.combine(part)
        }
        return hash.hex
    }

    /// Makes the template in `folder` (which must not exist).
    static func build(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        // An empty configuration: nothing of the machine's /etc/samba/smb.conf.
        let emptyConfig = path("empty.conf")
        try Data().write(to: URL(fileURLWithPath: emptyConfig))
        try ExternalTool(SambaInstallation.sambaTool).succeed(
            ["domain", "provision", "-s", emptyConfig, "--targetdir=\(folder.path)"] + provisionOptions)
        // The configuration provision wrote, for the ldb tools' Samba modules.
        let ldb = ["--configfile=\(path("etc/smb.conf"))", "-H", path("private/sam.ldb")]
        let fixture = path("fixture.ldif")
        try ADFixture.ldif.write(toFile: fixture, atomically: false, encoding: .utf8)
        try ExternalTool(SambaInstallation.ldbmodify).succeed(ldb + [fixture])

        var rids: [String: Int] = [:]
        for group in ADFixture.groupsWithPrimaryMembers {
            let output = try ExternalTool(SambaInstallation.ldbsearch).succeed(
                ldb + ["-b", group.dn, "-s", "base", "(objectClass=group)", "primaryGroupToken"])
            let token = output.split(separator: "\n").first { $0.hasPrefix("primaryGroupToken: ") }
            guard let rid = token.flatMap({ Int($0.dropFirst("primaryGroupToken: ".count)) }) else {
                throw ExternalTool.Failed(description: "no primaryGroupToken for \(group.dn): \(output)")
            }
            rids[group.dn] = rid
        }
        try ADFixture.primaryGroupLDIF(rids: rids).write(toFile: fixture, atomically: false, encoding: .utf8)
        try ExternalTool(SambaInstallation.ldbmodify).succeed(ldb + [fixture])

        // Valid for years: a cached template outlives any test run.
        let tls = folder.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: false)
        _ = try TestCertificates(in: tls, addresses: LoopbackLease.addresses, days: 3650)

        // What no DC needs: provision's configuration (with this folder's paths) and the LDIF.
        for name in ["empty.conf", "etc", "fixture.ldif"] {
            try FileManager.default.removeItem(atPath: path(name))
        }
    }
}

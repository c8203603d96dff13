import Foundation

/// A test CA and a server certificate it issued for 127.0.0.1 (and localhost, which libldap
/// checks against the machine's own host name instead, so tests use 127.0.0.1), plus an unrelated
/// CA that must not be trusted for that server, made with `openssl` in `folder`.
struct TestCertificates: Sendable {
    let caFile: String
    let serverCertificate: String
    let serverKey: String
    /// A CA that did not issue the server's certificate.
    let otherCAFile: String

    init(in folder: URL) throws {
        let openssl = try ExternalTool("/usr/bin/openssl")
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        caFile = path("ca.pem")
        serverCertificate = path("server.pem")
        serverKey = path("server.key")
        otherCAFile = path("other-ca.pem")

        // EC keys: quick to make, and every TLS library slapd and libldap may use supports them.
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=Roster Test CA"), ("other-ca", "/CN=Some Other CA")] {
            try openssl.succeed(
                ["req", "-x509"] + key + [
                    "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2", "-subj", subject,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ])
        }
        try openssl.succeed(
            ["req"] + key + ["-keyout", serverKey, "-out", path("server.csr"), "-subj", "/CN=localhost"])
        let extensions = path("server.ext")
        try """
        basicConstraints=CA:FALSE
        keyUsage=critical,digitalSignature,keyEncipherment
        extendedKeyUsage=serverAuth
        subjectAltName=IP:127.0.0.1,DNS:localhost
        """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try openssl.succeed([
            "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca.key"), "-CAcreateserial",
            "-out", serverCertificate, "-days", "2", "-extfile", extensions,
        ])
    }
}

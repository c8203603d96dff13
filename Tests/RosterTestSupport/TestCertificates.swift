import Foundation

/// A test CA and a server certificate it issued for loopback addresses (127.0.0.1 unless told
/// otherwise) and localhost (which libldap checks against the machine's own host name instead, so
/// tests use IP addresses), plus an unrelated CA that must not be trusted for that server, made with
/// `openssl` in `folder`.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let serverCertificate: String
    /// Mode 0600: Samba refuses a key that others can read.
    public let serverKey: String
    /// A CA that did not issue the server's certificate.
    public let otherCAFile: String

    /// The files of certificates made earlier in `folder`.
    public init(existingIn folder: URL) {
        caFile = folder.appendingPathComponent("ca.pem").path
        serverCertificate = folder.appendingPathComponent("server.pem").path
        serverKey = folder.appendingPathComponent("server.key").path
        otherCAFile = folder.appendingPathComponent("other-ca.pem").path
    }

    /// Makes the certificates, valid for `days`.
    public init(in folder: URL, addresses: [String] = ["127.0.0.1"], days: Int = 2) throws {
        self.init(existingIn: folder)
        let openssl = try ExternalTool("/usr/bin/openssl")
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        // EC keys: quick to make, and every TLS library slapd, Samba and libldap may use supports them.
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=Roster Test CA"), ("other-ca", "/CN=Some Other CA")] {
            try openssl.succeed(
                ["req", "-x509"] + key + [
                    "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", String(days), "-subj",
                    subject,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ])
        }
        try openssl.succeed(
            ["req"] + key + ["-keyout", serverKey, "-out", path("server.csr"), "-subj", "/CN=localhost"])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: serverKey)
        let names = addresses.map { "IP:\($0)" } + ["DNS:localhost"]
        let extensions = path("server.ext")
        try """
        basicConstraints=CA:FALSE
        keyUsage=critical,digitalSignature,keyEncipherment
        extendedKeyUsage=serverAuth
        subjectAltName=\(names.joined(separator: ","))
        """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try openssl.succeed([
            "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca.key"), "-CAcreateserial",
            "-out", serverCertificate, "-days", String(days), "-extfile", extensions,
        ])
    }
}

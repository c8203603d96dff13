import Foundation
import RosterCore

/// Stands in for the libldap normaliser: lower-cases, drops spaces after commas, and refuses
/// anything without `=` in each RDN so that invalid-DN errors can be tested.
struct LowercasingDNNormalizer: DNNormalizing {
    struct InvalidDN: Error, CustomStringConvertible {
        var description: String { "an RDN needs attribute=value" }
    }

    func normalize(_ dn: String) throws -> String {
        let rdns = dn.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard rdns.allSatisfy({ $0.contains("=") && !$0.hasPrefix("=") }) else { throw InvalidDN() }
        return rdns.joined(separator: ",")
    }
}

/// A scratch folder with secret files, removed when the value goes away.
final class Fixture {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "roster-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["ldap.secret", "oidc.secret", "token.key"] {
            try write(name, "s3cret\n", mode: 0o600)
        }
        try write("open.secret", "s3cret\n", mode: 0o644)
        try write("group.secret", "s3cret\n", mode: 0o640)
        try write("empty.secret", "\n", mode: 0o600)
        try write("ca.pem", "-----BEGIN CERTIFICATE-----\n", mode: 0o644)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func write(_ name: String, _ text: String, mode: Int) throws {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func path(_ name: String) -> String { directory + "/" + name }
}

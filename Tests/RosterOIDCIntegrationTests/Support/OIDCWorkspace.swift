import Foundation
import RosterCore
import RosterTestSupport

/// A temp folder with a roster.yaml whose `idp` source is the test's provider, its secret files
/// (mode 600), and the directory; runs `roster --config roster.yaml …` there.
struct OIDCWorkspace {
    let root: URL
    let roster: RosterBinary

    init(issuer: String, audience: [String] = ["roster"], extraYAML: String = "") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-oidc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        roster = RosterBinary(workingDirectory: root)
        try writeSecret("token.key", (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
        try writeSecret("client.secret", "test-secret")
        let yaml = """
            directory:
              path: state/roster.db
            audit:
              file: state/audit.jsonl
            safety:
              max_deactivations: 100%
            sources:
              idp:
                type: oidc
                issuer: \(issuer)
                client_id: roster
                client_secret_file: client.secret
                audience: [\(audience.joined(separator: ", "))]
                claims: {username: preferred_username, groups: groups}
                claims_max_age: 1h
                refresh_every: 1s
                token_key_file: token.key
            roles:
              admin: {privileges: {users: crud}}
              editor: {privileges: {projects: crud}}
              viewer: {privileges: {projects: r}}
            defaults: {roles: [viewer]}
            mappings:
              - id: admins
                source: idp
                claim: groups
                value: admins
                type: admin
                roles: [admin]
              - id: editors
                source: idp
                claim: groups
                value: editors
                roles: [editor]
              - id: owners
                source: idp
                claim: groups
                value: "^proj-(?<project>.+)-owners$"
                projects: {"${project}": owner}
            \(extraYAML)
            """
        try yaml.write(to: root.appendingPathComponent("roster.yaml"), atomically: true, encoding: .utf8)
    }

    var database: URL { root.appendingPathComponent("state/roster.db") }
    var auditMirror: URL { root.appendingPathComponent("state/audit.jsonl") }

    func writeSecret(_ name: String, _ content: String) throws {
        let url = root.appendingPathComponent(name)
        try content.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// Runs `roster --config roster.yaml ARGS…`.
    @discardableResult
    func run(_ arguments: [String]) throws -> RosterBinary.Outcome {
        try roster.run(["--config", "roster.yaml"] + arguments)
    }

    /// `roster oidc login` with the tokens written to files.
    @discardableResult
    func login(idToken: String, refreshToken: String? = nil, extra: [String] = []) throws -> RosterBinary.Outcome {
        try writeSecret("id.jwt", idToken)
        var arguments = ["oidc", "login", "--id-token-file", "id.jwt"]
        if let refreshToken {
            try writeSecret("refresh.token", refreshToken)
            arguments += ["--refresh-token-file", "refresh.token"]
        }
        return try run(arguments + extra)
    }

    /// `users show USER --format json`, parsed.
    func user(_ reference: String) throws -> JSONValue {
        let outcome = try run(["users", "show", reference, "--format", "json"])
        guard outcome.exitCode == 0 else { throw ProviderError("users show \(reference): \(outcome.all)") }
        return try JSONValue.parse(Data(outcome.stdout.utf8))
    }

    func roles(_ reference: String) throws -> Set<String> {
        guard case .array(let roles)? = try user(reference)["roles"] else { return [] }
        return Set(roles.compactMap(\.stringValue))
    }

    /// Audit records of `action`, parsed from `audit list --format json`.
    func audit(_ action: String) throws -> [JSONValue] {
        let outcome = try run(["audit", "list", "--action", action, "--format", "json"])
        guard case .array(let records)? = try? JSONValue.parse(Data(outcome.stdout.utf8)) else {
            throw ProviderError("audit list: \(outcome.all)")
        }
        return records
    }

    /// Every byte Roster keeps: the database (with its WAL) and the audit mirror.
    func storedBytes() -> String {
        let state = root.appendingPathComponent("state")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? []
        return files.compactMap { FileManager.default.contents(atPath: state.appendingPathComponent($0).path) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

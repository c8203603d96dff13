import Foundation
import RosterCore

/// `sources:`: each named source, dispatched on its `type:`.
extension ConfigReader {
    static let commonSourceKeys = ["type", "allow_empty"]
    static let sourceKeys: [SourceType: [String]] = [
        .ldap: [
            "url", "bind_dn", "bind_password_file", "tls", "flavor", "page_size", "range_size", "timeout", "users",
            "groups",
        ],
        .ldif: ["path", "users", "groups"],
        .oidc: [
            "issuer", "client_id", "client_secret_file", "audience", "claims", "claims_max_age", "refresh_every",
            "token_key_file", "tls",
        ],
    ]

    /// The sources that decoded cleanly, and what is known of every source written.
    func sources(_ field: Field?) -> ([SourceConfiguration], SourceCatalog) {
        var sources: [SourceConfiguration] = []
        var catalog = SourceCatalog()
        for entry in namedEntries(field, what: "a mapping of source names to their settings") {
            let name = entry.key
            catalog.names.append(name)
            catalog.entries[name] = SourceCatalog.Entry()
            let context = "sources.\(name)"
            guard checkName(name, at: entry.keyMark, what: "source name") else { continue }
            guard let type = sourceType(entry.value, context: context) else { continue }
            catalog.entries[name]?.type = type
            let allowed = Self.commonSourceKeys + (Self.sourceKeys[type] ?? [])
            guard let fields = fields(entry.value, context: context, allowed: allowed) else { continue }
            let problemsBefore = problems.count
            let kind: SourceConfiguration.Kind?
            switch type {
            case .ldap: kind = ldapSource(fields).map { .ldap($0) }
            case .ldif: kind = ldifSource(fields).map { .ldif($0) }
            case .oidc: kind = oidcSource(fields).map { .oidc($0) }
            }
            let allowEmpty = bool(fields["allow_empty"]) ?? false
            guard let kind, problems.count == problemsBefore else { continue }
            let source = SourceConfiguration(name: name, kind: kind, allowEmpty: allowEmpty)
            catalog.entries[name]?.configuration = source
            sources.append(source)
        }
        return (sources, catalog)
    }

    /// Read first, because the type decides which other keys are allowed.
    private func sourceType(_ node: YAMLNode, context: String) -> SourceType? {
        guard let entries = node.entries else {
            fail(
                "expected a mapping for \(context), found \(node.kindDescription); start it with type: ldap",
                at: node.mark)
            return nil
        }
        let fields = Fields(context: context, mark: node.mark, entries: entries.filter { $0.key == "type" })
        guard let field = required(fields, "type", example: "ldap (or oidc, ldif)") else { return nil }
        return choice(field, SourceType.self)
    }

    // MARK: - Shared by LDAP and OIDC

    func tls(_ field: Field?, allowsStartTLS: Bool) -> TLSOptions {
        let keys =
            allowsStartTLS ? ["ca_file", "start_tls", "insecure_skip_verify"] : ["ca_file", "insecure_skip_verify"]
        guard let field, let fields = fields(field.node, context: field.name, allowed: keys) else {
            return TLSOptions()
        }
        var caFile: String?
        if let caField = fields["ca_file"], let path = filePath(caField) {
            caFile = path
            if let problem = Self.missingFileProblem(path) {
                fail("\(caField.name) \(path) \(problem); point it at the PEM file of the issuing CA", at: caField.mark)
            }
        }
        return TLSOptions(
            caFile: caFile, startTLS: bool(fields["start_tls"]) ?? false,
            insecureSkipVerify: bool(fields["insecure_skip_verify"]) ?? false)
    }

    static func missingFileProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "does not exist" }
        return isDirectory.boolValue ? "is a directory" : nil
    }
}

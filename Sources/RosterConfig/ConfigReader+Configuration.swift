import RosterCore

/// The top level of the file and its small sections: directory, audit, daemon, safety, scope.
extension ConfigReader {
    static let topLevelKeys = [
        "directory", "audit", "daemon", "safety", "scope", "sources", "roles", "defaults", "mappings",
    ]
    static let defaultDirectoryPath = "/var/lib/roster/roster.db"

    /// The whole configuration; nil only when the root is not a mapping (problems say why).
    func configuration(_ root: YAMLNode) -> RosterConfiguration? {
        guard
            let fields = fields(
                root, context: "", allowed: Self.topLevelKeys, what: "a mapping of settings (directory:, sources:, …)")
        else { return nil }
        let (sources, sourceCatalog) = sources(fields["sources"])
        let (roles, roleNames) = roles(fields["roles"])
        return RosterConfiguration(
            path: path,
            directory: directory(fields["directory"]),
            audit: audit(fields["audit"]),
            daemon: daemon(fields["daemon"]),
            safety: safety(fields["safety"]),
            scope: choice(fields["scope"], SyncScope.self) ?? .mapped,
            sources: sources,
            roles: roles,
            defaults: defaults(fields["defaults"], roleNames: roleNames),
            mappings: mappings(fields["mappings"], sources: sourceCatalog, roleNames: roleNames))
    }

    private func directory(_ field: Field?) -> DirectoryOptions {
        let resolvedDefault = DirectoryOptions(path: Self.defaultDirectoryPath)
        guard let field, let fields = fields(field.node, context: field.name, allowed: ["path"]) else {
            return resolvedDefault
        }
        return DirectoryOptions(path: filePath(fields["path"]) ?? Self.defaultDirectoryPath)
    }

    private func audit(_ field: Field?) -> AuditOptions {
        guard let field, let fields = fields(field.node, context: field.name, allowed: ["file"]) else {
            return AuditOptions()
        }
        return AuditOptions(file: filePath(fields["file"]))
    }

    private func daemon(_ field: Field?) -> DaemonOptions {
        var options = DaemonOptions()
        guard let field,
            let fields = fields(
                field.node, context: field.name,
                allowed: ["interval", "full_sync_every", "control_socket", "metrics_file"])
        else { return options }
        options.interval = duration(fields["interval"]) ?? options.interval
        options.fullSyncEvery = duration(fields["full_sync_every"]) ?? options.fullSyncEvery
        options.controlSocket = filePath(fields["control_socket"])
        options.metricsFile = filePath(fields["metrics_file"])
        return options
    }

    private func safety(_ field: Field?) -> SafetyOptions {
        var options = SafetyOptions()
        guard let field,
            let fields = fields(
                field.node, context: field.name,
                allowed: ["max_deactivations", "max_deletions", "protected_users", "on_missing", "delete_after"])
        else { return options }
        options.maxDeactivations = limit(fields["max_deactivations"]) ?? options.maxDeactivations
        options.maxDeletions = limit(fields["max_deletions"]) ?? options.maxDeletions
        options.protectedUsers =
            stringList(
                fields["protected_users"], what: "a list of emails or usernames",
                example: "[breakglass@example.com]") ?? []
        options.onMissing = choice(fields["on_missing"], OnMissing.self) ?? options.onMissing
        options.deleteAfter = duration(fields["delete_after"])
        return options
    }

    /// Names of sources, roles and mapping ids: they appear in origins (`mapping:ID@SOURCE`),
    /// audit records and command lines, so they stay plain.
    func checkName(_ name: String, at mark: YAMLMark, what: String) -> Bool {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !name.isEmpty, allowed else {
            fail(
                "invalid \(what) \"\(name)\"; use letters, digits, \"-\", \"_\" and \".\" only", at: mark)
            return false
        }
        return true
    }
}

import RosterCore

/// What `roster config check` prints for a configuration that loaded: where things are, what
/// each source reads, which roles exist and what every mapping grants.
public enum ConfigSummary {
    /// Plain, aligned text, one section after another; ends without a newline.
    public static func render(_ config: RosterConfiguration) -> String {
        var sections = [settings(config)]
        sections.append(sources(config.sources))
        sections.append(roles(config))
        sections.append(mappings(config.mappings))
        return sections.joined(separator: "\n\n")
    }

    // MARK: - Sections

    private static func settings(_ config: RosterConfiguration) -> String {
        let daemon = config.daemon
        let safety = config.safety
        var pairs: [(String, String)] = [
            ("config", config.path),
            ("directory", config.directory.path),
            ("audit file", config.audit.file ?? "none (the database copy only)"),
            (
                "daemon",
                "every \(DurationText.format(daemon.interval)), full sync every"
                    + " \(DurationText.format(daemon.fullSyncEvery))"
            ),
        ]
        if let socket = daemon.controlSocket { pairs.append(("control socket", socket)) }
        if let metrics = daemon.metricsFile { pairs.append(("metrics file", metrics)) }
        pairs.append(("scope", config.scope.rawValue))
        var limits = "max deactivations \(safety.maxDeactivations), max deletions \(safety.maxDeletions),"
        limits += " on missing: \(safety.onMissing.rawValue)"
        if let deleteAfter = safety.deleteAfter { limits += ", delete after \(DurationText.format(deleteAfter))" }
        pairs.append(("safety", limits))
        pairs.append(
            ("protected users", safety.protectedUsers.isEmpty ? "none" : safety.protectedUsers.joined(separator: ", ")))
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in
            (key + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + "  " + value
        }
        .joined(separator: "\n")
    }

    private static func sources(_ sources: [SourceConfiguration]) -> String {
        guard !sources.isEmpty else { return "Sources: none" }
        let rows = sources.map { source -> [String] in
            switch source.kind {
            case .ldap(let options):
                return [
                    source.name, "ldap", options.urls.joined(separator: ", "), options.users.base,
                    options.groups?.base ?? "-",
                ]
            case .ldif(let options):
                return [source.name, "ldif", options.path, options.users.base, options.groups?.base ?? "-"]
            case .oidc(let options):
                return [source.name, "oidc", options.issuer, "-", "claim " + options.claims.groups]
            }
        }
        return "Sources (\(sources.count)):\n"
            + TextTable.render(header: ["NAME", "TYPE", "URL / PATH / ISSUER", "USERS BASE", "GROUPS"], rows: rows)
    }

    private static func roles(_ config: RosterConfiguration) -> String {
        let names = config.roles.map(\.name)
        var text = "Roles (\(names.count)): " + (names.isEmpty ? "none" : names.joined(separator: ", "))
        let defaults = config.defaults
        var granted: [String] = []
        if let type = defaults.type { granted.append("type=\(type.rawValue)") }
        if !defaults.roles.isEmpty { granted.append("roles=[\(defaults.roles.joined(separator: ","))]") }
        text += "\nDefaults: " + (granted.isEmpty ? "none" : granted.joined(separator: " "))
        return text
    }

    private static func mappings(_ mappings: [MappingRule]) -> String {
        guard !mappings.isEmpty else { return "Mappings: none" }
        let rows = mappings.map { [$0.id, $0.source, selector($0.selector), grants($0)] }
        return "Mappings (\(mappings.count)):\n"
            + TextTable.render(header: ["ID", "SOURCE", "SELECTOR", "GRANTS"], rows: rows)
    }

    // MARK: - Mapping cells

    static func selector(_ selector: MappingRule.Selector?) -> String {
        switch selector {
        case nil: return "every user"
        case .group(_, let written): return "group \(written)"
        case .groupName(let pattern): return "group_name \(pattern.text) (\(pattern.form.rawValue))"
        case .claim(let path, let pattern):
            let folding = pattern.ignoreCase ? ", ignore case" : ""
            return "claim \(path) = \(pattern.text) (\(pattern.form.rawValue)\(folding))"
        case .attribute(let name, let pattern):
            return "attribute \(name) = \(pattern.text) (\(pattern.form.rawValue))"
        }
    }

    static func grants(_ rule: MappingRule) -> String {
        if rule.exclude { return "exclude (out of scope)" }
        var parts: [String] = []
        if let type = rule.type { parts.append("type=\(type.rawValue)") }
        if !rule.roles.isEmpty { parts.append("roles=[\(rule.roles.joined(separator: ","))]") }
        if !rule.groups.isEmpty {
            let groups = rule.groups.map { $0.role == .member ? $0.name.text : "\($0.name.text):\($0.role.rawValue)" }
            parts.append("groups=[\(groups.joined(separator: ","))]")
        }
        if !rule.projects.isEmpty {
            let projects = rule.projects.map { "\($0.name.text):\($0.role.rawValue)" }
            parts.append("projects=[\(projects.joined(separator: ","))]")
        }
        return parts.joined(separator: " ")
    }
}

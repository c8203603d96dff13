import RosterCore
import RosterLDAP

/// Builds the readers for the configured sources.
enum SourceFactory {
    /// Readers for the configured sources (`only` limits them by name). An OIDC source reads the
    /// claims stored by logins, first refreshing those due when this process holds the lock.
    static func readers(for configuration: RosterConfiguration, only: [String] = []) throws -> [any IdentitySource] {
        for name in only where configuration.source(named: name) == nil {
            let known = configuration.sources.map(\.name).joined(separator: ", ")
            throw Failure(
                "--source \(name): no such source in \(configuration.path) (sources: \(known))",
                exitCode: ExitCode.usage)
        }
        return configuration.sources.filter { only.isEmpty || only.contains($0.name) }.compactMap { source in
            switch source.kind {
            case .ldif(let options):
                return LDIFSource(name: source.name, options: options)
            case .ldap(let options):
                return LDAPSource(
                    name: source.name, options: options,
                    selectorAttributes: selectorAttributes(of: source.name, in: configuration))
            case .oidc(let options):
                return OIDCWiring.source(named: source.name, options: options, configuration: configuration)
            }
        }
    }

    /// The user attributes that `attribute:` selectors of the source's mappings read: an LDAP
    /// source requests them along with the mapped ones.
    static func selectorAttributes(of source: String, in configuration: RosterConfiguration) -> [String] {
        configuration.mappings.compactMap { rule in
            guard rule.source == source, case .attribute(let name, _) = rule.selector else { return nil }
            return name
        }
    }

    /// Reads every reader concurrently; results in configuration order.
    static func readAll(_ readers: [any IdentitySource]) async -> [SourceSnapshot] {
        await withTaskGroup(of: (Int, SourceSnapshot).self) { group in
            for (index, reader) in readers.enumerated() {
                group.addTask { (index, await reader.read()) }
            }
            var results: [(Int, SourceSnapshot)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

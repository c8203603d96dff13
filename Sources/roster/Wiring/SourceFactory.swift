import RosterCore
import RosterLDAP

/// Builds the readers for the configured sources.
enum SourceFactory {
    /// Readers for the directory-style sources (`only` limits them by name). OIDC sources are not
    /// read here: their claims arrive with logins.
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
            case .ldap:
                return UnreadableSource(
                    name: source.name,
                    problem:
                        "ldap sources need the LDAP client, which this build does not have yet; the source is frozen")
            case .oidc:
                return nil
            }
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

/// A configured source this build cannot read: always an incomplete read, so it freezes.
struct UnreadableSource: IdentitySource {
    let name: String
    let problem: String

    func read() async -> SourceSnapshot { .failed(name, problem: problem) }
}

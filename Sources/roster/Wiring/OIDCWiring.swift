import Foundation
import RosterCore
import RosterOIDC
import RosterStore

/// Builds the OIDC pieces from the configuration: sources backed by the directory's grant store,
/// and the process-wide provider of each issuer.
enum OIDCWiring {
    /// The reader of one `type: oidc` source.
    ///
    /// It opens its own connection to the directory (a source reads concurrently with others and
    /// outlives no run), never creating the file. It redeems refresh tokens only while this process
    /// holds the directory's lock: a real reconcile or a daemon run, never a dry run.
    static func source(named name: String, options: OIDCSourceOptions, configuration: RosterConfiguration)
        -> OIDCSource
    {
        let path = configuration.directory.path
        let mirror = configuration.audit.file
        return OIDCSource(
            name: name, options: options, provider: provider(options), transport: HTTPClient(tls: options.tls),
            openStore: {
                guard FileManager.default.fileExists(atPath: path) else { return nil }
                return try DirectoryDatabase.open(path: path, auditMirror: mirror)
            },
            mayRedeem: { DirectoryLock.isHeldByThisProcess(directoryPath: path) })
    }

    static func provider(_ options: OIDCSourceOptions) -> OIDCProvider {
        OIDCProviderRegistry.shared.provider(issuer: options.issuer, tls: options.tls)
    }

    /// The OIDC source named `name`, or the only one when `name` is nil.
    static func oidcSource(named name: String?, in configuration: RosterConfiguration) throws -> (
        name: String, options: OIDCSourceOptions
    ) {
        let sources: [(name: String, options: OIDCSourceOptions)] = configuration.sources.compactMap { source in
            if case .oidc(let options) = source.kind { return (source.name, options) }
            return nil
        }
        if let name {
            if let found = sources.first(where: { $0.name == name }) { return found }
            let kind = configuration.source(named: name).map { "is a \($0.typeName) source" } ?? "does not exist"
            throw Failure(
                "--source \(name) \(kind); name one of the oidc sources of \(configuration.path): "
                    + (sources.isEmpty ? "there are none" : sources.map(\.name).joined(separator: ", ")),
                exitCode: ExitCode.usage)
        }
        guard sources.count == 1 else {
            throw Failure(
                sources.isEmpty
                    ? "\(configuration.path) has no source of type oidc; add one (SPEC §3) to sign users in"
                    : "\(configuration.path) has several oidc sources (\(sources.map(\.name).joined(separator: ", "))); "
                        + "choose one with --source NAME",
                exitCode: ExitCode.usage)
        }
        return sources[0]
    }
}

import RosterCore
import Synchronization

/// The process's providers, one per issuer and TLS setting, so that a long-running daemon keeps
/// the discovery document and keys (and the JWKS refetch limit) across runs and logins.
public final class OIDCProviderRegistry: Sendable {
    public static let shared = OIDCProviderRegistry()

    private let providers = Mutex<[String: OIDCProvider]>([:])

    public init() {}

    /// The provider of `issuer`, made on first use with an HTTP client for `tls`.
    public func provider(issuer: String, tls: TLSOptions) -> OIDCProvider {
        let key = [issuer, tls.caFile ?? "", tls.insecureSkipVerify ? "insecure" : "verified"].joined(
            separator: "\u{0}")
        return providers.withLock { providers in
            if let provider = providers[key] { return provider }
            let provider = OIDCProvider(issuer: issuer, transport: HTTPClient(tls: tls))
            providers[key] = provider
            return provider
        }
    }
}

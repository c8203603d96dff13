import Foundation
import RosterCore

/// The parts of an issuer's discovery document (`/.well-known/openid-configuration`) Roster uses.
public struct ProviderMetadata: Sendable, Hashable {
    public var issuer: String
    public var jwksURI: String
    public var tokenEndpoint: String?
    public var userinfoEndpoint: String?
    /// `token_endpoint_auth_methods_supported`; the default is `client_secret_basic`.
    public var tokenEndpointAuthMethods: [String]

    public init(
        issuer: String, jwksURI: String, tokenEndpoint: String? = nil, userinfoEndpoint: String? = nil,
        tokenEndpointAuthMethods: [String] = ["client_secret_basic"]
    ) {
        self.issuer = issuer
        self.jwksURI = jwksURI
        self.tokenEndpoint = tokenEndpoint
        self.userinfoEndpoint = userinfoEndpoint
        self.tokenEndpointAuthMethods = tokenEndpointAuthMethods
    }

    /// The discovery URL of `issuer` (OIDC Discovery §4: the path is appended, never replaced).
    public static func discoveryURL(of issuer: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration"
    }

    /// Reads a discovery document; its `issuer` must be exactly the configured one (OIDC
    /// Discovery §4.3), which defeats a document served for another issuer.
    public init(document: JSONValue, expectedIssuer: String) throws {
        let source = Self.discoveryURL(of: expectedIssuer)
        guard let issuer = document["issuer"]?.stringValue else {
            throw OIDCError(.discovery, "\(source) has no issuer; is this an OpenID provider?")
        }
        guard issuer == expectedIssuer else {
            throw OIDCError(
                .discovery,
                "\(source) names the issuer \"\(issuer)\", not the configured \"\(expectedIssuer)\"; set issuer to "
                    + "exactly the provider's value (scheme, host, port, path and trailing slash)")
        }
        guard let jwksURI = document["jwks_uri"]?.stringValue else {
            throw OIDCError(.discovery, "\(source) has no jwks_uri, so ID token signatures cannot be checked")
        }
        self.issuer = issuer
        self.jwksURI = jwksURI
        tokenEndpoint = document["token_endpoint"]?.stringValue
        userinfoEndpoint = document["userinfo_endpoint"]?.stringValue
        if case .array(let methods)? = document["token_endpoint_auth_methods_supported"] {
            tokenEndpointAuthMethods = methods.compactMap(\.stringValue)
        } else {
            tokenEndpointAuthMethods = ["client_secret_basic"]
        }
        let insecureIssuer = issuer.lowercased().hasPrefix("http://")
        for endpoint in [jwksURI, tokenEndpoint, userinfoEndpoint].compactMap({ $0 }) {
            let scheme = URLComponents(string: endpoint)?.scheme?.lowercased()
            // Plain http only where the issuer itself is (a loopback issuer, as the config allows).
            guard scheme == "https" || (scheme == "http" && insecureIssuer) else {
                throw OIDCError(.discovery, "\(source) lists the endpoint \(endpoint), which is not https://")
            }
        }
    }
}

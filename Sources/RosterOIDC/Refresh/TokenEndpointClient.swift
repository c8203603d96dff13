import Foundation
import RosterCore

/// Redeems refresh tokens at the issuer's token endpoint (RFC 6749 §6) and reads userinfo, as
/// the configured client.
struct TokenEndpointClient: Sendable {
    let transport: any HTTPTransport
    let metadata: ProviderMetadata
    let clientID: String
    let clientSecret: String?

    /// What the token endpoint said, sorted by what Roster does about it.
    enum Redemption: Sendable {
        case issued(accessToken: String?, refreshToken: String?, idToken: String?)
        /// `invalid_grant`: the issuer no longer vouches for this token's user.
        case invalidGrant(String)
        /// `invalid_client` and friends: Roster's own client configuration is wrong.
        case clientRejected(String)
        /// 5xx, timeouts, anything else: try again next time.
        case failed(String)
    }

    func redeem(_ refreshToken: String) async -> Redemption {
        guard let endpoint = metadata.tokenEndpoint else {
            return .clientRejected(
                "the issuer's discovery document has no token_endpoint, so refresh tokens cannot be redeemed")
        }
        var form = [(name: "grant_type", value: "refresh_token"), (name: "refresh_token", value: refreshToken)]
        var headers: [(name: String, value: String)] = []
        if let clientSecret, usesBasicAuthentication {
            headers.append((name: "Authorization", value: "Basic " + Self.basicCredentials(clientID, clientSecret)))
        } else {
            form.append((name: "client_id", value: clientID))
            if let clientSecret { form.append((name: "client_secret", value: clientSecret)) }
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(.post, endpoint, headers: headers, form: form))
        } catch {
            return .failed("\(error)")
        }
        let json = try? response.json()
        if response.status == 200 {
            guard let json else { return .failed("\(response.url) answered 200 with a body that is not JSON") }
            let accessToken = json["access_token"]?.stringValue
            let idToken = json["id_token"]?.stringValue
            guard accessToken != nil || idToken != nil else {
                return .failed("\(response.url) answered 200 without an access_token or id_token")
            }
            return .issued(
                accessToken: accessToken, refreshToken: json["refresh_token"]?.stringValue, idToken: idToken)
        }
        let code = json?["error"]?.stringValue
        // The description is the issuer's text: it is kept short and scrubbed of the token in case one echoes it.
        let description =
            json?["error_description"]?.stringValue.map {
                " (" + String($0.replacingOccurrences(of: refreshToken, with: "…").prefix(200)) + ")"
            } ?? ""
        switch code {
        case "invalid_grant"?:
            return .invalidGrant("the token endpoint answered invalid_grant\(description)")
        case "invalid_client"?, "unauthorized_client"?, "unsupported_grant_type"?:
            return .clientRejected(
                "the token endpoint \(response.url) rejected client \(clientID) (\(code!)\(description)); check "
                    + "client_id and client_secret_file of the source")
        case nil where response.status == 401:
            return .clientRejected(
                "the token endpoint \(response.url) answered HTTP 401 to client \(clientID); check client_id and "
                    + "client_secret_file of the source")
        default:
            return .failed(
                "the token endpoint \(response.url) answered HTTP \(response.status)"
                    + (code.map { " \($0)" } ?? "") + description)
        }
    }

    /// The userinfo claims for an access token just issued.
    func userinfo(accessToken: String) async throws -> JSONValue {
        guard let endpoint = metadata.userinfoEndpoint else {
            throw OIDCError(.discovery, "the issuer returned no ID token on refresh and has no userinfo_endpoint")
        }
        let response = try await transport.send(
            HTTPRequest(.get, endpoint, headers: [(name: "Authorization", value: "Bearer \(accessToken)")]))
        guard response.status == 200 else {
            throw OIDCError(.transport, "the userinfo endpoint \(response.url) answered HTTP \(response.status)")
        }
        if response.contentType?.lowercased().hasPrefix("application/jwt") == true {
            throw OIDCError(.discovery, "the userinfo endpoint \(response.url) answers signed JWTs; Roster reads JSON")
        }
        let claims = try response.json()
        guard case .object = claims else {
            throw OIDCError(.transport, "the userinfo endpoint \(response.url) did not answer a JSON object")
        }
        return claims
    }

    /// RFC 6749 §2.3.1: Basic unless the issuer lists only `client_secret_post`.
    private var usesBasicAuthentication: Bool {
        metadata.tokenEndpointAuthMethods.contains("client_secret_basic")
            || !metadata.tokenEndpointAuthMethods.contains("client_secret_post")
    }

    /// RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    static func basicCredentials(_ id: String, _ secret: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return Data((encode(id) + ":" + encode(secret)).utf8).base64EncodedString()
    }
}

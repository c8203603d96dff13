import Foundation
import RosterCore
import RosterOIDC
import Synchronization

/// An in-memory OpenID provider for unit tests: answers by URL, counts and records requests.
final class FakeTransport: HTTPTransport {
    typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse

    private let state = Mutex<(handlers: [String: Handler], requests: [HTTPRequest])>(([:], []))

    static let issuer = TokenFactory.issuer
    static let jwksURL = issuer + "/keys"
    static let tokenURL = issuer + "/token"
    static let userinfoURL = issuer + "/userinfo"

    /// A provider publishing `keys` (JWKs) with the usual endpoints.
    init(keys: [JSONValue] = [TestSigningKey.rsa.jwk(kid: "k1")]) {
        on(ProviderMetadata.discoveryURL(of: Self.issuer)) { _ in
            .json([
                "issuer": .string(Self.issuer), "jwks_uri": .string(Self.jwksURL),
                "token_endpoint": .string(Self.tokenURL), "userinfo_endpoint": .string(Self.userinfoURL),
            ])
        }
        publish(keys)
    }

    func on(_ url: String, _ handler: @escaping Handler) {
        state.withLock { $0.handlers[url] = handler }
    }

    func publish(_ keys: [JSONValue]) {
        on(Self.jwksURL) { _ in .json(["keys": .array(keys)]) }
    }

    func requests(to url: String) -> [HTTPRequest] {
        state.withLock { $0.requests.filter { $0.url == url } }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let handler = state.withLock { state -> Handler? in
            state.requests.append(request)
            return state.handlers[request.url]
        }
        guard let handler else { return HTTPResponse(status: 404, body: Data(), url: request.url) }
        var response = try handler(request)
        response.url = request.displayURL
        return response
    }
}

extension HTTPResponse {
    static func json(_ object: [String: JSONValue], status: Int = 200) -> HTTPResponse {
        HTTPResponse(
            status: status, contentType: "application/json", body: JSONValue.object(object).canonicalData, url: "")
    }
}

extension HTTPRequest {
    /// A form field's value.
    func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
}

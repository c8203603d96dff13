import Foundation
import RosterCore
import RosterOIDC

/// Builds compact JWTs for tests, valid by default for `TokenFactory.issuer` and `roster`.
struct TokenFactory {
    static let issuer = "https://idp.example.com/realms/corp"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    var key: TestSigningKey = .rsa
    var algorithm: SignatureAlgorithm = .rs256
    var kid: String? = "k1"
    var header: [String: JSONValue] = [:]
    var claims: [String: JSONValue] = [
        "iss": .string(TokenFactory.issuer), "aud": "roster", "sub": "alice",
        "iat": .int(Int64(TokenFactory.now.timeIntervalSince1970) - 10),
        "exp": .int(Int64(TokenFactory.now.timeIntervalSince1970) + 3600),
        "email": "alice@example.com", "groups": .array(["admins"]),
    ]

    /// The token, signed by `key` with `algorithm`.
    func make() -> String {
        let input = signingInput()
        return input + "." + Base64URL.encode(key.sign(Array(input.utf8), algorithm))
    }

    /// `header.payload`, for tokens signed some other way.
    func signingInput(algorithmName: String? = nil) -> String {
        var fields = header
        fields["alg"] = fields["alg"] ?? .string(algorithmName ?? algorithm.rawValue)
        if let kid, fields["kid"] == nil { fields["kid"] = .string(kid) }
        return Base64URL.encode(JSONValue.object(fields).canonicalData) + "."
            + Base64URL.encode(JSONValue.object(claims).canonicalData)
    }

    func with(_ change: (inout TokenFactory) -> Void) -> TokenFactory {
        var copy = self
        change(&copy)
        return copy
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

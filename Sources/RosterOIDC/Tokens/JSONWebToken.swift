import Foundation
import RosterCore

/// A compact JWS (`header.payload.signature`) taken apart, not yet verified.
public struct JSONWebToken: Sendable {
    /// Longer tokens are refused before any decoding: no real ID token comes near this.
    public static let maximumLength = 64 * 1024

    public let header: [String: JSONValue]
    public let claims: [String: JSONValue]
    /// `header.payload` as sent: the bytes the signature covers.
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    public init(compact text: String) throws {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.utf8.count <= Self.maximumLength else {
            throw OIDCError.token(.malformedToken, "it is longer than \(Self.maximumLength) bytes")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw OIDCError.token(
                .malformedToken,
                "it has \(parts.count) dot-separated parts, not 3 (header.payload.signature); was it cut short or "
                    + "is it an encrypted token?")
        }
        guard let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]) else {
            throw OIDCError.token(.malformedToken, "its header or payload is not base64url")
        }
        // An empty signature is left to the algorithm check: `alg: none` is refused by name.
        guard let signature = Base64URL.decode(parts[2]) else {
            throw OIDCError.token(.malformedToken, "its signature part is not base64url")
        }
        guard case .object(let header)? = try? JSONValue.parse(Data(headerBytes)) else {
            throw OIDCError.token(.malformedToken, "its header is not a JSON object")
        }
        guard case .object(let claims)? = try? JSONValue.parse(Data(payloadBytes)) else {
            throw OIDCError.token(.malformedToken, "its payload is not a JSON object")
        }
        self.header = header
        self.claims = claims
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = signature
    }

    /// The header's `alg`, as written.
    public var algorithmName: String? { header["alg"]?.stringValue }

    /// The header's `kid`, if any.
    public var keyID: String? { header["kid"]?.stringValue }

    /// The algorithm, checked against the accepted ones (refuses `none` and HMAC).
    public func algorithm() throws -> SignatureAlgorithm {
        guard let name = algorithmName else { throw OIDCError.token(.malformedToken, "its header has no alg") }
        let algorithm = try SignatureAlgorithm(header: name)
        // Critical extensions must be understood, and Roster understands none (RFC 7515 §4.1.11).
        if header["crit"] != nil {
            throw OIDCError.token(
                .malformedToken, "its header lists critical extensions (crit) Roster does not support")
        }
        return algorithm
    }
}

import RosterCore

/// One signing key of an issuer's JWKS, with its libcrypto key.
public struct JSONWebKey: Sendable {
    public let keyID: String?
    /// `RSA`, `EC` or `OKP`.
    public let keyType: String
    /// `crv` of EC and OKP keys.
    public let curve: String?
    /// The `alg` the issuer pinned the key to, if any.
    public let algorithm: String?
    public let key: PublicKey

    /// RSA keys below this size are refused (RFC 7518 §3.3 requires 2048 bits).
    public static let minimumRSABits = 2048

    /// The key described by one JWK; nil for keys that cannot sign ID tokens for Roster
    /// (symmetric `oct` keys, encryption keys, unknown types or curves). Throws for a signing
    /// key whose numbers are unusable.
    public init?(json: JSONValue) throws {
        guard case .object(let fields) = json, let keyType = fields["kty"]?.stringValue else { return nil }
        if let use = fields["use"]?.stringValue, use != "sig" { return nil }
        let kid = fields["kid"]?.stringValue
        let name = kid.map { "key \($0)" } ?? "a key without kid"
        func bytes(_ member: String) throws -> [UInt8] {
            guard let text = fields[member]?.stringValue, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
                throw OIDCError(.discovery, "the issuer's JWKS has \(name) without a valid \"\(member)\"")
            }
            return bytes
        }
        let curve = fields["crv"]?.stringValue
        switch (keyType, curve) {
        case ("RSA", _):
            key = try PublicKey.rsa(modulus: try bytes("n"), exponent: try bytes("e"))
            guard key.bits >= Self.minimumRSABits else {
                throw OIDCError(
                    .discovery,
                    "the issuer's JWKS has \(name), an RSA key of \(key.bits) bits; at least 2048 are required")
            }
        case ("EC", "P-256"?), ("EC", "P-384"?):
            let size = curve == "P-256" ? 32 : 48
            let x = try bytes("x")
            let y = try bytes("y")
            guard x.count == size, y.count == size else {
                throw OIDCError(.discovery, "the issuer's JWKS has \(name) whose coordinates do not fit \(curve!)")
            }
            key = try PublicKey.ec(curve: curve!, x: x, y: y)
        case ("OKP", "Ed25519"?):
            let x = try bytes("x")
            guard x.count == 32 else {
                throw OIDCError(.discovery, "the issuer's JWKS has \(name), an Ed25519 key that is not 32 bytes")
            }
            key = try PublicKey.ed25519(x)
        default:
            return nil
        }
        self.keyID = kid
        self.keyType = keyType
        self.curve = curve
        self.algorithm = fields["alg"]?.stringValue
    }

    /// Whether this key may verify a token signed with `algorithm`.
    public func fits(_ algorithm: SignatureAlgorithm) -> Bool {
        guard keyType == algorithm.keyType, curve == algorithm.curve || algorithm.curve == nil else { return false }
        return self.algorithm == nil || self.algorithm == algorithm.rawValue
    }

    /// Every usable signing key of a JWKS document (`{"keys": [...]}`). Keys that are not for
    /// signing, or whose numbers libcrypto refuses, are skipped: one bad entry must not make the
    /// issuer's other keys unusable.
    public static func keySet(_ document: JSONValue) throws -> [JSONWebKey] {
        guard case .array(let entries)? = document["keys"] else {
            throw OIDCError(.discovery, "the issuer's JWKS has no \"keys\" list")
        }
        return entries.compactMap { entry in (try? JSONWebKey(json: entry)) ?? nil }
    }
}

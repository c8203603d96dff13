import CCrypto

/// The JWS algorithms Roster accepts for ID tokens (SPEC §8). `none` and every HMAC algorithm are
/// refused: an HMAC "signature" made with the issuer's public key as the secret would otherwise
/// verify, and `none` is no signature at all.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case ps384 = "PS384"
    case ps512 = "PS512"
    case es256 = "ES256"
    case es384 = "ES384"
    case edDSA = "EdDSA"

    /// The algorithm a token header names, or an error saying why it is refused.
    public init(header name: String) throws {
        if let algorithm = SignatureAlgorithm(rawValue: name) {
            self = algorithm
            return
        }
        let accepted = Self.allCases.map(\.rawValue).joined(separator: ", ")
        if name.lowercased() == "none" {
            throw OIDCError.token(
                .algorithmRefused, "it is unsigned (alg none), which Roster never accepts; accepted: \(accepted)")
        }
        if name.uppercased().hasPrefix("HS") {
            throw OIDCError.token(
                .algorithmRefused,
                "it is signed with \(name), an HMAC algorithm, which Roster never accepts from an issuer; "
                    + "configure the provider to sign ID tokens with one of \(accepted)")
        }
        throw OIDCError.token(
            .algorithmRefused,
            "its algorithm \"\(name)\" is not accepted; configure the provider to use one of \(accepted)")
    }

    /// The JWK `kty` a key for this algorithm has.
    public var keyType: String {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: return "RSA"
        case .es256, .es384: return "EC"
        case .edDSA: return "OKP"
        }
    }

    /// The JWK `crv` a key must have, for EC and OKP keys.
    public var curve: String? {
        switch self {
        case .es256: return "P-256"
        case .es384: return "P-384"
        case .edDSA: return "Ed25519"
        default: return nil
        }
    }

    /// RSASSA-PSS rather than PKCS #1 v1.5.
    var usesPSS: Bool { self == .ps256 || self == .ps384 || self == .ps512 }

    /// Bytes of each of r and s in a JOSE ECDSA signature.
    var ecdsaComponentSize: Int? {
        switch self {
        case .es256: return 32
        case .es384: return 48
        default: return nil
        }
    }

    /// The message digest, or nil for EdDSA, which hashes internally.
    var digest: OpaquePointer? {
        switch self {
        case .rs256, .ps256, .es256: return EVP_sha256()
        case .rs384, .ps384, .es384: return EVP_sha384()
        case .rs512, .ps512: return EVP_sha512()
        case .edDSA: return nil
        }
    }
}

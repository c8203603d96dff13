import CCrypto

/// Owns one libcrypto public key (`EVP_PKEY`) built from a JWK, and verifies signatures with it.
// An EVP_PKEY is immutable once built, and libcrypto allows concurrent verifications with one
// key (each uses its own EVP_MD_CTX); the pointer is freed only in deinit.
public final class PublicKey: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// An RSA key from its modulus and public exponent (big-endian, as a JWK's `n` and `e`).
    public static func rsa(modulus: [UInt8], exponent: [UInt8]) throws -> PublicKey {
        let builder = try ParameterBuilder()
        try builder.push(roster_param_rsa_n(), number: try BigNumber(bigEndian: modulus))
        try builder.push(roster_param_rsa_e(), number: try BigNumber(bigEndian: exponent))
        let parameters = try builder.build()
        return PublicKey(taking: try KeyContext(type: EVP_PKEY_RSA).publicKey(from: parameters))
    }

    /// An EC key on `curve` (`P-256`, `P-384`) from its affine coordinates; libcrypto refuses a
    /// point that is not on the curve.
    public static func ec(curve: String, x: [UInt8], y: [UInt8]) throws -> PublicKey {
        let builder = try ParameterBuilder()
        try builder.push(roster_param_group_name(), utf8: curve)
        // SEC 1 uncompressed point: 0x04 || x || y.
        try builder.push(roster_param_public_key(), octets: [0x04] + x + y)
        let parameters = try builder.build()
        return PublicKey(taking: try KeyContext(type: EVP_PKEY_EC).publicKey(from: parameters))
    }

    /// An Ed25519 key from its 32 raw bytes (a JWK's `x`).
    public static func ed25519(_ raw: [UInt8]) throws -> PublicKey {
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
            throw CryptoFailure.openSSL("EVP_PKEY_new_raw_public_key")
        }
        return PublicKey(taking: pointer)
    }

    /// The key's size in bits (the modulus for RSA, the field for EC).
    public var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// Whether `signature` (as JOSE writes it) signs `message` with this key under `algorithm`.
    /// False for a wrong signature; throws only when libcrypto itself fails.
    public func verify(signature: [UInt8], of message: [UInt8], algorithm: SignatureAlgorithm) throws -> Bool {
        var der = signature
        if let size = algorithm.ecdsaComponentSize {
            // JOSE writes r || s at fixed width; libcrypto wants an ASN.1 ECDSA-Sig-Value.
            guard signature.count == 2 * size else { return false }
            der = try ECDSASignature(r: Array(signature.prefix(size)), s: Array(signature.suffix(size))).der()
        }
        return try VerifyContext().verify(der, of: message, key: self, algorithm: algorithm)
    }
}

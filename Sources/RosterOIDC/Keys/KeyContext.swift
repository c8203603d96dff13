import CCrypto

/// Owns one `EVP_PKEY_CTX` used to build a public key from parameters (`EVP_PKEY_fromdata`).
final class KeyContext {
    private let context: OpaquePointer

    /// A context for keys of `type` (`EVP_PKEY_RSA`, `EVP_PKEY_EC`).
    init(type: Int32) throws {
        guard let context = EVP_PKEY_CTX_new_id(type, nil) else { throw CryptoFailure.openSSL("EVP_PKEY_CTX_new_id") }
        self.context = context
    }

    deinit {
        EVP_PKEY_CTX_free(context)
    }

    /// A public key from `parameters`; the caller owns the result (wrap it in `PublicKey`).
    func publicKey(from parameters: ParameterList) throws -> OpaquePointer {
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw CryptoFailure.openSSL("EVP_PKEY_fromdata_init") }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata(context, &key, roster_selection_public_key(), parameters.pointer) == 1, let key else {
            throw CryptoFailure.openSSL("EVP_PKEY_fromdata")
        }
        return key
    }
}

@available(*, unavailable)
extension KeyContext: Sendable {}

import CCrypto

/// Owns one `EVP_MD_CTX` for a single `EVP_DigestVerify`. Not thread-safe.
final class VerifyContext {
    private let context: OpaquePointer

    init() throws {
        guard let context = EVP_MD_CTX_new() else { throw CryptoFailure.openSSL("EVP_MD_CTX_new") }
        self.context = context
    }

    deinit {
        // Also frees the EVP_PKEY_CTX that EVP_DigestVerifyInit made for it.
        EVP_MD_CTX_free(context)
    }

    func verify(_ signature: [UInt8], of message: [UInt8], key: PublicKey, algorithm: SignatureAlgorithm) throws
        -> Bool
    {
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, algorithm.digest, nil, key.pointer) == 1 else {
            // A key of the wrong type for the algorithm lands here: not a match, not a fault.
            ERR_clear_error()
            return false
        }
        if algorithm.usesPSS {
            // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1,
                EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, algorithm.digest) == 1
            else { throw CryptoFailure.openSSL("EVP_PKEY_CTX_set_rsa_padding (PSS)") }
        }
        let result = EVP_DigestVerify(context, signature, signature.count, message, message.count)
        // 0 is a wrong signature; a negative result is a malformed one: both simply do not verify.
        ERR_clear_error()
        return result == 1
    }
}

@available(*, unavailable)
extension VerifyContext: Sendable {}

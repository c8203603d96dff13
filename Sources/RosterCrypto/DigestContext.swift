import CCrypto

/// Owns one `EVP_MD_CTX`: a running digest computation. Not thread-safe.
final class DigestContext {
    private let context: OpaquePointer
    private let algorithm: OpaquePointer?

    /// Starts a digest with `algorithm` (such as `EVP_sha256()`).
    init(algorithm: OpaquePointer?) throws {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, algorithm, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.openSSL("EVP_DigestInit_ex")
        }
        self.context = context
        self.algorithm = algorithm
    }

    /// Starts a new digest with the same algorithm, after `finish`.
    func restart() throws {
        guard EVP_DigestInit_ex(context, algorithm, nil) == 1 else { throw CryptoError.openSSL("EVP_DigestInit_ex") }
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    func update(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else { throw CryptoError.openSSL("EVP_DigestUpdate") }
    }

    /// Finishes the digest; the context cannot be updated afterwards.
    func finish() throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else {
            throw CryptoError.openSSL("EVP_DigestFinal_ex")
        }
        return Array(digest.prefix(Int(length)))
    }
}

@available(*, unavailable)
extension DigestContext: Sendable {}

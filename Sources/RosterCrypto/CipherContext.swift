import CCrypto

/// Owns one `EVP_CIPHER_CTX`: a single AES-256-GCM encryption or decryption. Not thread-safe.
final class CipherContext {
    private let context: OpaquePointer

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        self.context = context
    }

    deinit {
        // Also wipes the expanded key schedule held by the context.
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts `plaintext`; returns the ciphertext and the 16-byte tag that authenticates it and `aad`.
    func sealGCM(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) throws -> (
        ciphertext: [UInt8], tag: [UInt8]
    ) {
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw CryptoError.openSSL("EVP_EncryptInit_ex")
        }
        var length: Int32 = 0
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else {
                throw CryptoError.openSSL("EVP_EncryptUpdate (associated data)")
            }
        }
        // GCM is a stream mode: the output is exactly as long as the input.
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(context, &output, &written, plaintext, Int32(plaintext.count)) == 1 else {
                throw CryptoError.openSSL("EVP_EncryptUpdate")
            }
        }
        var final: Int32 = 0
        let finished = output.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(written), &final)
        }
        guard finished == 1 else { throw CryptoError.openSSL("EVP_EncryptFinal_ex") }
        var tag = [UInt8](repeating: 0, count: 16)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1 else {
            throw CryptoError.openSSL("EVP_CIPHER_CTX_ctrl (get tag)")
        }
        return (Array(output.prefix(Int(written + final))), tag)
    }

    /// Decrypts `ciphertext`; throws `authenticationFailed` unless `tag` matches it and `aad`.
    func openGCM(_ ciphertext: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw CryptoError.openSSL("EVP_DecryptInit_ex")
        }
        var length: Int32 = 0
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else {
                throw CryptoError.openSSL("EVP_DecryptUpdate (associated data)")
            }
        }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(context, &output, &written, ciphertext, Int32(ciphertext.count)) == 1 else {
                throw CryptoError.openSSL("EVP_DecryptUpdate")
            }
        }
        var expected = tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, &expected) == 1 else {
            throw CryptoError.openSSL("EVP_CIPHER_CTX_ctrl (set tag)")
        }
        var final: Int32 = 0
        let verified = output.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(written), &final)
        }
        guard verified == 1 else {
            // The tag check failed: nothing decrypted may be used, so the buffer is wiped and dropped.
            ERR_clear_error()
            output.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw CryptoError(
                code: .authenticationFailed, operation: "AES-256-GCM open",
                message: "the data was altered or sealed under another key")
        }
        return Array(output.prefix(Int(written + final)))
    }
}

@available(*, unavailable)
extension CipherContext: Sendable {}

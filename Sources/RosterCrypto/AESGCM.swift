/// AES-256-GCM through libcrypto: authenticated encryption of small secrets at rest.
///
/// A sealed box is `nonce (12 bytes) || ciphertext || tag (16 bytes)`. Every seal draws a fresh
/// random nonce, so one key may seal many values; `aad` binds the box to its context (such as
/// the row it is stored in), so a box copied elsewhere fails to open.
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    /// Encrypts and authenticates `plaintext` (and `aad`, which is not stored) under a 32-byte key.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws -> [UInt8] {
        try checkKey(key)
        let nonce = try SecureRandom.bytes(nonceSize)
        let (ciphertext, tag) = try CipherContext().sealGCM(plaintext, key: key, nonce: nonce, aad: aad)
        return nonce + ciphertext + tag
    }

    /// Opens a box made by `seal` with the same key and `aad`; throws `authenticationFailed` when
    /// the box was altered, truncated or sealed under another key or context.
    public static func open(_ sealed: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws -> [UInt8] {
        try checkKey(key)
        guard sealed.count >= nonceSize + tagSize else {
            throw CryptoError(
                code: .authenticationFailed, operation: "AES-256-GCM open",
                message: "the sealed data is \(sealed.count) bytes, shorter than a nonce and a tag")
        }
        let nonce = Array(sealed.prefix(nonceSize))
        let tag = Array(sealed.suffix(tagSize))
        let ciphertext = Array(sealed[nonceSize..<(sealed.count - tagSize)])
        return try CipherContext().openGCM(ciphertext, tag: tag, key: key, nonce: nonce, aad: aad)
    }

    private static func checkKey(_ key: [UInt8]) throws {
        guard key.count == keySize else {
            throw CryptoError(
                code: .invalidInput, operation: "AES-256-GCM",
                message: "the key is \(key.count) bytes; AES-256 needs exactly \(keySize)")
        }
    }
}

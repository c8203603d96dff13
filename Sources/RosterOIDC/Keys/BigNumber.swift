import CCrypto

/// Owns one `BIGNUM`: an unsigned big-endian integer from a JWK (`n`, `e`).
final class BigNumber {
    let pointer: OpaquePointer

    init(bigEndian bytes: [UInt8]) throws {
        guard let pointer = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw CryptoFailure.openSSL("BN_bin2bn") }
        self.pointer = pointer
    }

    deinit {
        BN_free(pointer)
    }
}

@available(*, unavailable)
extension BigNumber: Sendable {}

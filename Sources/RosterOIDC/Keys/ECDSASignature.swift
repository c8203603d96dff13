import CCrypto

/// Owns one `ECDSA_SIG`: turns JOSE's fixed-width `r || s` into the DER form libcrypto verifies.
final class ECDSASignature {
    private let pointer: OpaquePointer

    init(r: [UInt8], s: [UInt8]) throws {
        guard let signature = ECDSA_SIG_new() else { throw CryptoFailure.openSSL("ECDSA_SIG_new") }
        let rNumber = BN_bin2bn(r, Int32(r.count), nil)
        let sNumber = BN_bin2bn(s, Int32(s.count), nil)
        // On success ECDSA_SIG_set0 takes ownership of both numbers; on failure they are ours to free.
        guard let rNumber, let sNumber, ECDSA_SIG_set0(signature, rNumber, sNumber) == 1 else {
            BN_free(rNumber)
            BN_free(sNumber)
            ECDSA_SIG_free(signature)
            throw CryptoFailure.openSSL("ECDSA_SIG_set0")
        }
        pointer = signature
    }

    deinit {
        ECDSA_SIG_free(pointer)
    }

    /// The DER encoding (`ECDSA-Sig-Value`).
    func der() throws -> [UInt8] {
        let length = i2d_ECDSA_SIG(pointer, nil)
        guard length > 0 else { throw CryptoFailure.openSSL("i2d_ECDSA_SIG") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(pointer, &cursor)
        }
        guard written == length else { throw CryptoFailure.openSSL("i2d_ECDSA_SIG") }
        return bytes
    }
}

@available(*, unavailable)
extension ECDSASignature: Sendable {}

import CCrypto

/// Owns one `OSSL_PARAM_BLD` and what it points into until `build()`: the inputs of
/// `EVP_PKEY_fromdata` for a public key taken from a JWK.
final class ParameterBuilder {
    private let builder: OpaquePointer
    /// The builder keeps references, not copies, until it builds: these must outlive it.
    private var numbers: [BigNumber] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    init() throws {
        guard let builder = OSSL_PARAM_BLD_new() else { throw CryptoFailure.openSSL("OSSL_PARAM_BLD_new") }
        self.builder = builder
    }

    deinit {
        OSSL_PARAM_BLD_free(builder)
        for buffer in buffers { buffer.deallocate() }
    }

    /// `name` must be one of libcrypto's static parameter names (the shim's `roster_param_*`).
    func push(_ name: UnsafePointer<CChar>, number: BigNumber) throws {
        numbers.append(number)
        guard OSSL_PARAM_BLD_push_BN(builder, name, number.pointer) == 1 else {
            throw CryptoFailure.openSSL("OSSL_PARAM_BLD_push_BN")
        }
    }

    func push(_ name: UnsafePointer<CChar>, utf8 text: String) throws {
        let bytes = Array(text.utf8)
        let buffer = copy(bytes + [0])
        guard
            OSSL_PARAM_BLD_push_utf8_string(
                builder, name, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count) == 1
        else { throw CryptoFailure.openSSL("OSSL_PARAM_BLD_push_utf8_string") }
    }

    func push(_ name: UnsafePointer<CChar>, octets: [UInt8]) throws {
        let buffer = copy(octets)
        guard OSSL_PARAM_BLD_push_octet_string(builder, name, buffer.baseAddress, octets.count) == 1 else {
            throw CryptoFailure.openSSL("OSSL_PARAM_BLD_push_octet_string")
        }
    }

    /// The parameters as an `OSSL_PARAM` array (values copied into it).
    func build() throws -> ParameterList {
        guard let parameters = OSSL_PARAM_BLD_to_param(builder) else {
            throw CryptoFailure.openSSL("OSSL_PARAM_BLD_to_param")
        }
        return ParameterList(parameters)
    }

    private func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        buffer.copyBytes(from: bytes)
        buffers.append(buffer)
        return buffer
    }
}

/// Owns one `OSSL_PARAM` array made by a builder.
final class ParameterList {
    let pointer: UnsafeMutablePointer<OSSL_PARAM>

    init(_ pointer: UnsafeMutablePointer<OSSL_PARAM>) {
        self.pointer = pointer
    }

    deinit {
        OSSL_PARAM_free(pointer)
    }
}

@available(*, unavailable)
extension ParameterBuilder: Sendable {}

@available(*, unavailable)
extension ParameterList: Sendable {}

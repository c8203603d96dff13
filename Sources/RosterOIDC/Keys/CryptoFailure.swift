import CCrypto

/// A libcrypto call that failed where no caller mistake could explain it; drains OpenSSL's queue.
enum CryptoFailure {
    static func openSSL(_ operation: String) -> OIDCError {
        var messages: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            code = ERR_get_error()
        }
        let reason = messages.isEmpty ? "libcrypto gave no reason" : messages.joined(separator: "; ")
        return OIDCError(.discovery, "libcrypto \(operation) failed: \(reason)")
    }
}

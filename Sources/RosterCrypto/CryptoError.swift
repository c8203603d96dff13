import CCrypto

/// A failure of a cryptographic operation, with OpenSSL's own explanation when it gave one.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in kinds callers may branch on; extensible without breaking them.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// libcrypto reported a failure.
        public static let openSSL = Code("openssl")
        /// A stored password hash is not a well-formed PHC string this library understands.
        public static let malformedHash = Code("malformed hash")
        /// A PHC string asks for parameters outside the accepted bounds (cost or memory).
        public static let unsupportedParameters = Code("unsupported parameters")
        /// Sealed data failed its authentication tag: altered, truncated, or sealed under another key.
        public static let authenticationFailed = Code("authentication failed")
        /// A key or input of the wrong size or shape for the operation.
        public static let invalidInput = Code("invalid input")

        public var description: String { name }
    }

    public var code: Code
    /// The operation that failed, such as `EVP_PBE_scrypt` or `parse PHC string`.
    public var operation: String
    /// OpenSSL's error text, or our own explanation for input errors.
    public var message: String

    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation) failed: \(message)" }

    /// Drains this thread's OpenSSL error queue into an error for `operation`.
    static func openSSL(_ operation: String) -> CryptoError {
        var messages: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            code = ERR_get_error()
        }
        let message = messages.isEmpty ? "libcrypto reported no reason" : messages.joined(separator: "; ")
        return CryptoError(code: .openSSL, operation: operation, message: message)
    }
}

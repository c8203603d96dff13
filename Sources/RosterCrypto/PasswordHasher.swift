import CCrypto

/// Password hashing with scrypt (RFC 7914) through libcrypto, stored as PHC strings.
public enum PasswordHasher {
    /// scrypt's cost parameters: N = 2^logN, block size r, parallelism p.
    public struct Parameters: Sendable, Hashable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// `ln=15,r=8,p=1`: 32 MiB and about 0.1 s per hash on a current server core.
        public static let `default` = Parameters(logN: 15, r: 8, p: 1)

        /// Bytes scrypt needs: 128·r·(N+2) for V plus 128·r·p for B, with slack for OpenSSL's own bookkeeping.
        var memory: UInt64 { 128 * UInt64(r) * ((1 << UInt64(logN)) + 2 + UInt64(p)) + 1 << 20 }

        /// Bounds that keep a hostile or corrupted hash from asking for unbounded memory or time.
        func validate() throws {
            guard (1...24).contains(logN), (1...32).contains(r), (1...16).contains(p), memory <= 1 << 30 else {
                throw CryptoError(
                    code: .unsupportedParameters, operation: "scrypt",
                    message: "ln=\(logN),r=\(r),p=\(p) is outside the accepted bounds (ln 1-24, r 1-32, p 1-16, 1 GiB)")
            }
        }
    }

    static let saltLength = 16
    static let keyLength = 32

    /// Hashes `password` with a fresh 16-byte salt into `$scrypt$ln=…,r=…,p=…$<salt>$<hash>`.
    public static func hash(_ password: String, parameters: Parameters = .default) throws -> String {
        try parameters.validate()
        let salt = try SecureRandom.bytes(saltLength)
        let key = try derive(password, salt: salt, parameters: parameters, length: keyLength)
        return PHCString(parameters: parameters, salt: salt, hash: key).text
    }

    /// Whether `password` matches `phc`, compared in constant time. Throws for a malformed `phc`.
    public static func verify(_ password: String, phc: String) throws -> Bool {
        let stored = try PHCString(parsing: phc)
        try stored.parameters.validate()
        let key = try derive(password, salt: stored.salt, parameters: stored.parameters, length: stored.hash.count)
        return key.withUnsafeBytes { derived in
            stored.hash.withUnsafeBytes { expected in
                CRYPTO_memcmp(derived.baseAddress, expected.baseAddress, expected.count) == 0
            }
        }
    }

    /// Whether `phc` was made with other parameters than `current` and should be replaced at next login.
    public static func needsRehash(_ phc: String, current: Parameters = .default) throws -> Bool {
        try PHCString(parsing: phc).parameters != current
    }

    static func derive(_ password: String, salt: [UInt8], parameters: Parameters, length: Int) throws
        -> [UInt8]
    {
        let passwordBytes = Array(password.utf8)
        var key = [UInt8](repeating: 0, count: length)
        let status = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
            passwordBuffer.withMemoryRebound(to: CChar.self) { pass in
                EVP_PBE_scrypt(
                    pass.baseAddress, pass.count, salt, salt.count, 1 << UInt64(parameters.logN),
                    UInt64(parameters.r), UInt64(parameters.p), parameters.memory, &key, length)
            }
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_PBE_scrypt") }
        return key
    }
}

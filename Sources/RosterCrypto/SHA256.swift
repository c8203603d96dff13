import CCrypto
import Foundation

/// SHA-256 through libcrypto: the audit chain's digest.
public enum SHA256 {
    /// The 32-byte digest of `data`.
    public static func digest(_ data: some DataProtocol) throws -> [UInt8] {
        let context = try DigestContext(algorithm: EVP_sha256())
        for region in data.regions {
            try region.withUnsafeBytes { try context.update($0) }
        }
        return try context.finish()
    }

    /// The digest of `data` as 64 lower-case hex digits.
    ///
    /// SHA-256 with the built-in provider fails only when memory runs out, so this stops the
    /// process with OpenSSL's message rather than making every audit hash site handle an error.
    public static func hex(_ data: some DataProtocol) -> String {
        do {
            return Hex.encode(try digest(data))
        } catch {
            fatalError("SHA-256 is unavailable: \(error)")
        }
    }
}

/// Lower-case hexadecimal, as digests are written in the audit log.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var characters = [UInt8]()
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

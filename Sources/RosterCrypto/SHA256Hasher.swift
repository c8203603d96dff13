import CCrypto
import Foundation

/// SHA-256 of many short inputs one after another (a run's audit records), through one fetched
/// algorithm and one context. `SHA256.hex` makes a context per input, and OpenSSL 3 looks the
/// algorithm up in its provider store at every such start: about 0.2 s of a 100,000-user first
/// sync. Not thread-safe: one hasher per writer.
public final class SHA256Hasher {
    private let algorithm: OpaquePointer
    private let context: DigestContext

    public init() throws {
        guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else { throw CryptoError.openSSL("EVP_MD_fetch") }
        do {
            context = try DigestContext(algorithm: algorithm)
        } catch {
            EVP_MD_free(algorithm)
            throw error
        }
        self.algorithm = algorithm
    }

    deinit {
        // The context holds a reference of its own to the algorithm until it is freed.
        EVP_MD_free(algorithm)
    }

    /// The digest of `data` as 64 lower-case hex digits, as `SHA256.hex` gives it.
    public func hex(_ data: some DataProtocol) -> String {
        do {
            for region in data.regions {
                try region.withUnsafeBytes { try context.update($0) }
            }
            let digest = try context.finish()
            try context.restart()
            return Hex.encode(digest)
        } catch {
            fatalError("SHA-256 is unavailable: \(error)")
        }
    }
}

@available(*, unavailable)
extension SHA256Hasher: Sendable {}

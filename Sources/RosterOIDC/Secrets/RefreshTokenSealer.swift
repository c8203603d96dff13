import RosterCrypto

/// Seals refresh tokens for storage with AES-256-GCM under the source's token key.
///
/// The box is bound to its grant (source and subject are authenticated, not stored in it), so a
/// sealed token copied onto another user's row does not open.
public struct RefreshTokenSealer: Sendable {
    let key: TokenKey

    public init(key: TokenKey) {
        self.key = key
    }

    public func seal(_ token: String, source: String, subject: String) throws -> [UInt8] {
        try AESGCM.seal(Array(token.utf8), key: key.bytes, authenticating: Self.context(source, subject))
    }

    /// The token, or an error that never contains it.
    public func open(_ sealed: [UInt8], source: String, subject: String) throws -> String {
        do {
            let bytes = try AESGCM.open(sealed, key: key.bytes, authenticating: Self.context(source, subject))
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw OIDCError(
                .configuration,
                "the stored refresh token of \(subject) in source \(source) does not open with token_key_file "
                    + "(the key changed, or the row was altered); the user must sign in again")
        }
    }

    private static func context(_ source: String, _ subject: String) -> [UInt8] {
        Array("roster oidc refresh token\u{0}\(source)\u{0}\(subject)".utf8)
    }
}

/// Why an OIDC operation failed, as one sentence naming the thing and the fix. Never holds a token.
public struct OIDCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Kinds callers branch on (and tests check); extensible.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Not a compact JWS: parts, base64url, JSON.
        public static let malformedToken = Kind("malformed token")
        /// `none`, an HMAC algorithm, or one Roster does not know.
        public static let algorithmRefused = Kind("algorithm refused")
        /// No key of the issuer fits the token (unknown `kid`, wrong type).
        public static let unknownKey = Kind("unknown key")
        /// The signature does not verify.
        public static let badSignature = Kind("bad signature")
        /// `iss`, `aud`, `azp`, `exp`, `nbf`, `iat` or `sub` refused.
        public static let claimRefused = Kind("claim refused")
        /// The discovery document or the JWKS is unusable (wrong issuer, missing fields).
        public static let discovery = Kind("discovery")
        /// The provider could not be reached or answered an error.
        public static let transport = Kind("transport")
        /// The configuration does not allow the operation (no token key, a bad key file…).
        public static let configuration = Kind("configuration")

        public var description: String { name }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func token(_ kind: Kind, _ reason: String) -> OIDCError {
        OIDCError(kind, "the ID token is refused: \(reason)")
    }
}

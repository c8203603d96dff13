/// A request that got no usable answer. Names the URL (without its query), never a token.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The connection or the whole exchange took longer than allowed.
        case timeout
        /// The answer was larger than the client accepts.
        case tooLarge
        /// The server's certificate did not verify, or TLS failed.
        case tls
        /// DNS, connection refused, reset…
        case transport
        /// An answer, but not one the caller can use (not JSON…).
        case badResponse
    }

    public var kind: Kind
    public var url: String
    public var message: String

    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    public var description: String { "\(url) \(message)" }

    /// Worth retrying later: the server may answer next time.
    public var isTransient: Bool { kind == .timeout || kind == .transport }
}

import Foundation

/// Which kind of client a person signed in to, as the ID token's `azp` / `aud` tell.
public enum SessionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The platform's web dashboard.
    case dashboard
    /// An SDK or command-line client.
    case sdk
}

/// One login recorded by `roster oidc login`: who, when, until when, through which client.
public struct UserSession: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var source: String
    public var kind: SessionKind
    /// The client the ID token was issued to (`azp`, else its audience).
    public var client: String
    public var startedAt: Date
    /// The ID token's `exp`.
    public var expiresAt: Date?

    public init(
        id: Int64 = 0, userID: Int64, source: String, kind: SessionKind, client: String, startedAt: Date,
        expiresAt: Date?
    ) {
        self.id = id
        self.userID = userID
        self.source = source
        self.kind = kind
        self.client = client
        self.startedAt = startedAt
        self.expiresAt = expiresAt
    }

    /// From login to expiry, or nil when the session has no expiry.
    public var duration: TimeInterval? { expiresAt.map { $0.timeIntervalSince(startedAt) } }
}

import Foundation
import RosterCore

/// An ID token whose signature and claims passed every check: what a login or a refresh uses.
public struct VerifiedIDToken: Sendable {
    /// Every claim of the payload.
    public let claims: JSONValue
    public let issuer: String
    public let subject: String
    public let audiences: [String]
    /// `azp`, when the token has one.
    public let authorizedParty: String?
    public let issuedAt: Date
    public let expiresAt: Date

    public init(
        claims: JSONValue, issuer: String, subject: String, audiences: [String], authorizedParty: String?,
        issuedAt: Date, expiresAt: Date
    ) {
        self.claims = claims
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.authorizedParty = authorizedParty
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

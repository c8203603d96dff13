import Foundation
import RosterCore

/// The claim checks of OIDC Core §3.1.3.7 for one source: `iss` exactly, `aud` (and `azp` when
/// there are several audiences), `exp`, `nbf` and `iat` with a clock skew, and a `sub`.
public struct TokenClaimsPolicy: Sendable {
    public var issuer: String
    /// The configured `audience` list: the token must be for one of them.
    public var audiences: [String]
    /// Clock difference tolerated between Roster and the issuer.
    public var skew: TimeInterval

    public init(issuer: String, audiences: [String], skew: TimeInterval = 60) {
        self.issuer = issuer
        self.audiences = audiences
        self.skew = skew
    }

    public func validate(_ claims: [String: JSONValue], now: Date) throws -> VerifiedIDToken {
        guard let issued = claims["iss"]?.stringValue else { throw refused("it has no iss claim") }
        guard issued == issuer else {
            throw refused("its issuer \"\(issued)\" is not the configured issuer \(issuer)")
        }
        let audience = try audienceList(claims["aud"])
        let configured = audiences.joined(separator: ", ")
        guard audience.contains(where: audiences.contains) else {
            throw refused(
                "it is for \(audience.joined(separator: ", ")), none of the configured audiences (\(configured)); "
                    + "add its client to the source's audience list if it is meant for Roster")
        }
        let authorizedParty = claims["azp"]?.stringValue
        if claims["azp"] != nil && authorizedParty == nil { throw refused("its azp claim is not a string") }
        if audience.count > 1 && authorizedParty == nil {
            throw refused("it has several audiences but no azp claim naming the client it was issued to")
        }
        if let authorizedParty, !audiences.contains(authorizedParty) {
            throw refused(
                "it was issued to client \(authorizedParty) (azp), which is not among the configured audiences "
                    + "(\(configured))")
        }

        guard let expires = try time(claims, "exp") else { throw refused("it has no exp claim") }
        guard now.timeIntervalSince(expires) <= skew else {
            throw refused(
                "it expired at \(Timestamp.string(expires)) (now \(Timestamp.string(now)), \(Int(skew)) s of skew "
                    + "allowed); sign in again for a fresh token")
        }
        if let notBefore = try time(claims, "nbf"), notBefore.timeIntervalSince(now) > skew {
            throw refused(
                "it is not valid before \(Timestamp.string(notBefore)) (now \(Timestamp.string(now))); check the "
                    + "clocks of Roster and the issuer")
        }
        guard let issuedAt = try time(claims, "iat") else { throw refused("it has no iat claim") }
        guard issuedAt.timeIntervalSince(now) <= skew else {
            throw refused(
                "it was issued in the future (iat \(Timestamp.string(issuedAt)), now \(Timestamp.string(now))); "
                    + "check the clocks of Roster and the issuer")
        }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else {
            throw refused("it has no sub claim identifying the user")
        }
        return VerifiedIDToken(
            claims: .object(claims), issuer: issued, subject: subject, audiences: audience,
            authorizedParty: authorizedParty, issuedAt: issuedAt, expiresAt: expires)
    }

    private func audienceList(_ value: JSONValue?) throws -> [String] {
        switch value {
        case .string(let audience)?:
            return [audience]
        case .array(let values)? where !values.isEmpty && values.allSatisfy({ $0.stringValue != nil }):
            return values.compactMap(\.stringValue)
        default:
            throw refused("its aud claim is missing or not a string or list of strings")
        }
    }

    /// A NumericDate claim (seconds since 1970), nil when absent.
    private func time(_ claims: [String: JSONValue], _ name: String) throws -> Date? {
        switch claims[name] {
        case nil: return nil
        case .int(let seconds)?: return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .double(let seconds)? where seconds.isFinite: return Date(timeIntervalSince1970: seconds)
        default: throw refused("its \(name) claim is not a number of seconds")
        }
    }

    private func refused(_ reason: String) -> OIDCError {
        OIDCError.token(.claimRefused, reason)
    }
}

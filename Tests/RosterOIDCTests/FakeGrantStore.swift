import Foundation
import RosterCore
import Synchronization

/// Grants in memory, with a log of the writes in the order they happened.
final class FakeGrantStore: OIDCGrantStore, Sendable {
    private let state = Mutex<(grants: [String: OIDCGrant], log: [String], audit: [AuditEvent])>(([:], [], []))

    init(_ grants: [OIDCGrant]) {
        state.withLock { state in
            for grant in grants { state.grants[grant.subject] = grant }
        }
    }

    var grants: [String: OIDCGrant] { state.withLock { $0.grants } }
    var log: [String] { state.withLock { $0.log } }
    var audit: [AuditEvent] { state.withLock { $0.audit } }

    func oidcGrants(source: String) throws -> [OIDCGrant] {
        state.withLock { $0.grants.values.filter { $0.source == source }.sorted { $0.subject < $1.subject } }
    }

    func storeRefreshToken(source: String, subject: String, sealed: [UInt8], now: Date) throws {
        state.withLock {
            $0.grants[subject]?.sealedRefreshToken = sealed
            $0.log.append("token \(subject)")
        }
    }

    func storeConfirmedClaims(source: String, subject: String, claims: JSONValue, now: Date) throws {
        state.withLock {
            $0.grants[subject]?.claims = claims
            $0.grants[subject]?.claimsAt = now
            $0.grants[subject]?.stale = false
            $0.log.append("claims \(subject)")
        }
    }

    func markStale(source: String, subject: String, problem: String, now: Date) throws {
        state.withLock {
            $0.grants[subject]?.stale = true
            $0.grants[subject]?.problem = problem
            $0.log.append("stale \(subject)")
        }
    }

    func withdraw(
        source: String, subject: String, externalID: String, problem: String, event: AuditEvent, now: Date
    ) throws {
        state.withLock {
            $0.grants[subject]?.withdrawnAt = now
            $0.grants[subject]?.sealedRefreshToken = nil
            $0.log.append("withdraw \(subject)")
            $0.audit.append(event)
        }
    }
}

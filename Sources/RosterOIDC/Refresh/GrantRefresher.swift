import Foundation
import RosterCore

/// Redeems the due refresh tokens of one source, a few at a time, each after a short random delay
/// so that a run does not hit the issuer with a burst.
struct GrantRefresher: Sendable {
    /// One stored grant to redeem.
    struct Work: Sendable {
        var subject: String
        var refreshToken: String
        var previousClaims: JSONValue
    }

    let client: TokenEndpointClient
    let provider: OIDCProvider
    let policy: TokenClaimsPolicy
    let groupsPath: String
    var maxConcurrent: Int
    var maxStartDelay: Duration

    /// Redeems every item of `work`, handing each result to `handle` on the calling task as it
    /// arrives. Stops starting new redemptions once one says the client is rejected.
    func run(_ work: [Work], handle: (RefreshResult) throws -> Void) async throws {
        try await withThrowingTaskGroup(of: RefreshResult.self) { group in
            var pending = work[...]
            var rejected = false
            func startNext() {
                guard !rejected, let next = pending.popFirst() else { return }
                group.addTask { await redeem(next) }
            }
            for _ in 0..<max(1, maxConcurrent) { startNext() }
            while let result = try await group.next() {
                if case .clientRejected = result.verdict { rejected = true }
                try handle(result)
                startNext()
            }
        }
    }

    func redeem(_ work: Work) async -> RefreshResult {
        let delay = maxStartDelay.seconds
        if delay > 0 { try? await Task.sleep(for: .seconds(Double.random(in: 0...delay))) }
        switch await client.redeem(work.refreshToken) {
        case .invalidGrant(let reason):
            return RefreshResult(subject: work.subject, verdict: .withdrawn(reason))
        case .clientRejected(let reason):
            return RefreshResult(subject: work.subject, verdict: .clientRejected(reason))
        case .failed(let reason):
            return RefreshResult(subject: work.subject, verdict: .stale(reason))
        case .issued(let accessToken, let refreshToken, let idToken):
            var result = RefreshResult(
                subject: work.subject, rotatedToken: refreshToken == work.refreshToken ? nil : refreshToken,
                verdict: .stale("no claims"))
            do {
                let claims = try await freshClaims(work, accessToken: accessToken, idToken: idToken)
                result.verdict = .confirmed(
                    ClaimOverage.carryingGroups(from: work.previousClaims, into: claims, groupsPath: groupsPath))
            } catch {
                result.verdict = .stale("\(error)")
            }
            return result
        }
    }

    /// Claims from the returned ID token (same issuer, checked by the policy, and same subject),
    /// else from userinfo with the new access token (same subject).
    private func freshClaims(_ work: Work, accessToken: String?, idToken: String?) async throws -> JSONValue {
        if let idToken {
            let verified = try await provider.verify(idToken, policy: policy)
            guard verified.subject == work.subject else {
                throw OIDCError(
                    .claimRefused, "the refreshed ID token is for subject \(verified.subject), not \(work.subject)")
            }
            return verified.claims
        }
        guard let accessToken else {
            throw OIDCError(.transport, "the token endpoint returned neither an ID token nor an access token")
        }
        let claims = try await client.userinfo(accessToken: accessToken)
        guard claims["sub"]?.stringValue == work.subject else {
            throw OIDCError(
                .claimRefused,
                "userinfo answered for subject \(claims["sub"]?.stringValue ?? "none"), not \(work.subject)")
        }
        return claims
    }
}

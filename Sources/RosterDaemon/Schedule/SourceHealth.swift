import Foundation

/// How one source's reads have gone, for scheduling retries and for `roster status`.
public struct SourceHealth: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// Not read yet since the daemon started.
        case unknown
        /// The last read was complete.
        case healthy
        /// The last read failed or was incomplete: the source is frozen and retried with backoff.
        case failing
    }

    public var source: String
    public var state: State
    public var lastSuccess: Date?
    public var lastAttempt: Date?
    /// Failed reads in a row; 0 when healthy.
    public var consecutiveFailures: Int
    /// When a failing source is read again on its own, if before the next regular run.
    public var nextRetry: Date?
    /// The last read's problem, as the source described it.
    public var problem: String?
    public var lastReadSeconds: Double?
    public var lastUsers: Int?
    public var lastGroups: Int?

    /// snake_case, like the rest of Roster's JSON.
    private enum CodingKeys: String, CodingKey {
        case source
        case state
        case lastSuccess = "last_success"
        case lastAttempt = "last_attempt"
        case consecutiveFailures = "consecutive_failures"
        case nextRetry = "next_retry"
        case problem
        case lastReadSeconds = "last_read_seconds"
        case lastUsers = "last_users"
        case lastGroups = "last_groups"
    }

    public init(source: String) {
        self.source = source
        state = .unknown
        consecutiveFailures = 0
    }

    mutating func recordSuccess(_ read: SourceRead, at now: Date) {
        state = .healthy
        lastSuccess = now
        lastAttempt = now
        consecutiveFailures = 0
        nextRetry = nil
        problem = nil
        lastReadSeconds = read.seconds
        lastUsers = read.users
        lastGroups = read.groups
    }

    mutating func recordFailure(problem: String?, seconds: Double?, at now: Date, retry: Date) {
        state = .failing
        lastAttempt = now
        consecutiveFailures += 1
        nextRetry = retry
        self.problem = problem
        lastReadSeconds = seconds
    }
}

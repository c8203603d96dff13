/// How often runs happen and how failures are retried: pure arithmetic on durations.
public struct SchedulePolicy: Sendable, Hashable {
    /// Never shorter than this, whatever the configuration says: `interval: 0s` must not spin.
    public static let shortestInterval: Duration = .seconds(1)

    /// Between regular runs (`daemon.interval`).
    public var interval: Duration
    /// Between full reads (`daemon.full_sync_every`).
    public var fullSyncEvery: Duration
    /// ± this share of each delay, so that many daemons do not hit one LDAP server in step.
    public var jitter: Double
    /// The first retry of a failed source; it doubles with each failure, up to `interval`.
    public var initialBackoff: Duration

    public init(interval: Duration, fullSyncEvery: Duration, jitter: Double = 0.1, initialBackoff: Duration? = nil) {
        self.interval = max(interval, Self.shortestInterval)
        self.fullSyncEvery = fullSyncEvery
        self.jitter = min(max(jitter, 0), 0.5)
        // A thirtieth of the interval keeps a short interval's retries short, and 30 s keeps a long
        // interval's first retry prompt.
        let fallback = min(max(self.interval / 30, .seconds(1)), .seconds(30))
        self.initialBackoff = min(initialBackoff ?? fallback, self.interval)
    }

    /// `base` scaled by a random factor in [1 − jitter, 1 + jitter].
    public func jittered(_ base: Duration, using random: inout some RandomNumberGenerator) -> Duration {
        guard jitter > 0 else { return base }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &random)
        return base * factor
    }

    /// The delay before the next regular run.
    public func nextRunDelay(using random: inout some RandomNumberGenerator) -> Duration {
        jittered(interval, using: &random)
    }

    /// The delay before retry number `attempt` (1 for the first): exponential, jittered, never
    /// longer than the interval (by then the regular run retries anyway).
    public func backoff(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let doublings = min(max(attempt, 1) - 1, 40)
        let exponential = initialBackoff.timeInterval * Double(UInt64(1) << UInt64(doublings))
        let capped = min(exponential, interval.timeInterval)
        return min(jittered(Duration.seconds(capped), using: &random), interval)
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

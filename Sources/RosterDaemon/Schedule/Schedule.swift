import Foundation

/// What the daemon does next.
public enum ScheduleDecision: Sendable, Hashable {
    case run(RunPlan)
    case wait(until: Date)
}

/// The daemon's timetable: when the next regular run is due, which failing sources are retried
/// before it, and when the next full read is. Pure: the time and the randomness come in as arguments.
public struct Schedule: Sendable {
    public private(set) var policy: SchedulePolicy
    /// The next regular run, which reads every source.
    public private(set) var nextRun: Date
    /// When every source was last read in full; nil before the first full read.
    public private(set) var lastFullRead: Date?
    /// Each scheduled source's health, in configuration order.
    public private(set) var sources: [SourceHealth]
    /// Runs in a row that failed as a whole (the store was unavailable…): they back off too.
    public private(set) var consecutiveRunFailures = 0

    /// A schedule whose first run is due at `now`.
    public init(policy: SchedulePolicy, sources: [String], now: Date) {
        self.policy = policy
        self.sources = sources.map(SourceHealth.init(source:))
        nextRun = now
    }

    /// When the next full read is due; nil when the next run is one.
    public var nextFullRead: Date? { lastFullRead.map { $0 + policy.fullSyncEvery.timeInterval } }

    /// Failing sources retried on their own before the next regular run, earliest first.
    public var pendingRetries: [SourceHealth] {
        sources.filter { $0.state == .failing && ($0.nextRetry ?? .distantFuture) < nextRun }
            .sorted { ($0.nextRetry ?? .distantFuture) < ($1.nextRetry ?? .distantFuture) }
    }

    /// When something is next due: the regular run or an earlier retry.
    public var nextWake: Date { min(nextRun, pendingRetries.first?.nextRetry ?? nextRun) }

    /// What to do at `now`. `requested` holds the sources of runs asked for (empty: all), nil when none was.
    public func decision(now: Date, requested: [String]? = nil) -> ScheduleDecision {
        let fullRead = lastFullRead == nil || now >= (nextFullRead ?? now)
        if let requested {
            return .run(RunPlan(sources: requested, trigger: .requested, fullRead: fullRead))
        }
        if now >= nextRun {
            return .run(RunPlan(trigger: .scheduled, fullRead: fullRead))
        }
        let due = pendingRetries.filter { ($0.nextRetry ?? .distantFuture) <= now }
        if !due.isEmpty {
            // Only the failing sources: the others keep their own schedule.
            return .run(RunPlan(sources: due.map(\.source), trigger: .retry, fullRead: fullRead))
        }
        return .wait(until: nextWake)
    }

    /// Books a finished run: healthy sources reset, incomplete ones back off, a regular run sets the next one.
    public mutating func record(
        _ report: RunReport, of plan: RunPlan, now: Date, using random: inout some RandomNumberGenerator
    ) {
        for read in report.sources {
            let index = healthIndex(read.source)
            if read.complete {
                sources[index].recordSuccess(read, at: now)
            } else {
                let attempt = sources[index].consecutiveFailures + 1
                let retry = now + policy.backoff(attempt: attempt, using: &random).timeInterval
                sources[index].recordFailure(problem: read.problem, seconds: read.seconds, at: now, retry: retry)
            }
        }
        consecutiveRunFailures = 0
        if plan.readsAllSources {
            nextRun = now + policy.nextRunDelay(using: &random).timeInterval
            if plan.fullRead && report.sources.allSatisfy(\.complete) { lastFullRead = report.startedAt }
        }
    }

    /// Books a run that failed as a whole (it threw): it is retried with backoff, capped at the interval.
    public mutating func recordFailure(
        of plan: RunPlan, problem: String, now: Date, using random: inout some RandomNumberGenerator
    ) {
        consecutiveRunFailures += 1
        let retry = now + policy.backoff(attempt: consecutiveRunFailures, using: &random).timeInterval
        if plan.readsAllSources {
            nextRun = retry
        } else {
            for source in plan.sources {
                let index = healthIndex(source)
                let attempt = sources[index].consecutiveFailures + 1
                let sourceRetry = now + policy.backoff(attempt: attempt, using: &random).timeInterval
                sources[index].recordFailure(problem: problem, seconds: nil, at: now, retry: sourceRetry)
            }
        }
    }

    /// Takes a reloaded configuration: a shorter interval takes effect at once, and `runNow` (the
    /// configuration changed) brings the next regular run forward so that the change applies.
    public mutating func reconfigure(
        policy newPolicy: SchedulePolicy, sources names: [String], now: Date, runNow: Bool,
        using random: inout some RandomNumberGenerator
    ) {
        if newPolicy.interval != policy.interval {
            nextRun = min(nextRun, now + newPolicy.nextRunDelay(using: &random).timeInterval)
        }
        policy = newPolicy
        let known = Dictionary(sources.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        sources = names.map { known[$0] ?? SourceHealth(source: $0) }
        if runNow { nextRun = min(nextRun, now) }
    }

    /// The index of `source`'s health, adding it when a run read a source the schedule did not list.
    private mutating func healthIndex(_ source: String) -> Int {
        if let index = sources.firstIndex(where: { $0.source == source }) { return index }
        sources.append(SourceHealth(source: source))
        return sources.count - 1
    }
}

import RosterTestSupport
import Testing

@testable import RosterDaemon

struct SchedulePolicyTests {
    private let policy = SchedulePolicy(interval: .seconds(900), fullSyncEvery: .seconds(6 * 3600))

    @Test func jitterStaysWithinTenPercentOfTheInterval() {
        var random = SeededRandom(seed: 42)
        var smallest = Double.infinity
        var largest = 0.0
        for _ in 0..<10_000 {
            let delay = policy.nextRunDelay(using: &random).timeInterval
            smallest = min(smallest, delay)
            largest = max(largest, delay)
        }
        #expect(smallest >= 810 && largest <= 990)
        // It really varies, over most of the band: a fixed delay would put daemons in step.
        #expect(smallest < 820 && largest > 980)
    }

    @Test func noJitterMeansTheExactInterval() {
        let steady = SchedulePolicy(interval: .seconds(900), fullSyncEvery: .seconds(3600), jitter: 0)
        var random = SeededRandom(seed: 9)
        #expect(steady.nextRunDelay(using: &random) == .seconds(900))
    }

    @Test func backoffDoublesFromThirtySecondsAndIsCappedAtTheInterval() {
        let steady = SchedulePolicy(interval: .seconds(900), fullSyncEvery: .seconds(3600), jitter: 0)
        var random = SeededRandom(seed: 1)
        let delays = (1...8).map { steady.backoff(attempt: $0, using: &random).timeInterval }
        #expect(delays == [30, 60, 120, 240, 480, 900, 900, 900])
    }

    @Test func backoffWithJitterNeverExceedsTheInterval() {
        var random = SeededRandom(seed: 7)
        for attempt in 1...60 {
            let delay = policy.backoff(attempt: attempt, using: &random)
            #expect(delay <= policy.interval)
            #expect(delay.timeInterval >= 30 * 0.9 || attempt == 1)
        }
        // Huge attempt counts do not overflow.
        #expect(policy.backoff(attempt: Int.max, using: &random) <= policy.interval)
    }

    @Test(arguments: [
        (interval: 2, initial: 1.0), (interval: 60, initial: 2.0), (interval: 900, initial: 30.0),
        (interval: 86_400, initial: 30.0),
    ])
    func initialBackoffScalesWithShortIntervals(interval: Int, initial: Double) {
        let policy = SchedulePolicy(interval: .seconds(interval), fullSyncEvery: .seconds(3600))
        #expect(policy.initialBackoff.timeInterval == initial)
    }

    @Test func aZeroIntervalIsRaisedToTheShortestOne() {
        let policy = SchedulePolicy(interval: .zero, fullSyncEvery: .zero)
        #expect(policy.interval == .seconds(1))
        var random = SeededRandom(seed: 3)
        #expect(policy.nextRunDelay(using: &random) > .zero)
    }
}

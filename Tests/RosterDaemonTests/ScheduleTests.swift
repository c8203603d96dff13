import Foundation
import RosterTestSupport
import Testing

@testable import RosterDaemon

struct ScheduleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = SchedulePolicy(interval: .seconds(900), fullSyncEvery: .seconds(6 * 3600), jitter: 0)

    private func report(_ plan: RunPlan, at time: Date, failing: Set<String> = [], sources: [String]) -> RunReport {
        RunReport(
            runID: "r", trigger: plan.trigger, startedAt: time, finishedAt: time, exitCode: failing.isEmpty ? 0 : 4,
            outcome: failing.isEmpty ? "applied" : "partial", summary: "", changes: [:], usersByStatus: [:],
            sources: sources.map {
                SourceRead(
                    source: $0, complete: !failing.contains($0), problem: failing.contains($0) ? "bind failed" : nil,
                    seconds: 0.5, users: 10, groups: 2)
            })
    }

    private func plan(_ decision: ScheduleDecision) throws -> RunPlan {
        guard case .run(let plan) = decision else {
            Issue.record("expected a run, got \(decision)")
            throw CancellationError()
        }
        return plan
    }

    @Test func theFirstRunIsImmediateAndReadsEverythingInFull() throws {
        let schedule = Schedule(policy: Self.policy, sources: ["corp", "demo"], now: Self.start)
        let first = try plan(schedule.decision(now: Self.start))
        #expect(first == RunPlan(sources: [], trigger: .scheduled, fullRead: true))
    }

    @Test func afterARunTheNextOneIsAnIntervalLater() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        let first = try plan(schedule.decision(now: Self.start))
        schedule.record(report(first, at: Self.start, sources: ["demo"]), of: first, now: Self.start, using: &random)
        #expect(schedule.decision(now: Self.start + 10) == .wait(until: Self.start + 900))
        #expect(try plan(schedule.decision(now: Self.start + 900)).trigger == .scheduled)
        #expect(schedule.sources.first?.state == .healthy)
        #expect(schedule.sources.first?.lastUsers == 10)
    }

    @Test func aFailingSourceIsRetriedAloneWithGrowingBackoffWhileTheOthersKeepTheirSchedule() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["corp", "demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        let first = try plan(schedule.decision(now: Self.start))
        schedule.record(
            report(first, at: Self.start, failing: ["corp"], sources: ["corp", "demo"]), of: first, now: Self.start,
            using: &random)
        // corp: 30 s; the regular run of both stays at +900.
        #expect(schedule.decision(now: Self.start + 1) == .wait(until: Self.start + 30))
        let retry = try plan(schedule.decision(now: Self.start + 30))
        // Still a full read: no read of every source has been complete yet.
        #expect(retry == RunPlan(sources: ["corp"], trigger: .retry, fullRead: true))

        var now = Self.start + 30
        var delays: [Double] = []
        for _ in 0..<5 {
            schedule.record(
                report(retry, at: now, failing: ["corp"], sources: ["corp"]), of: retry, now: now, using: &random)
            guard case .wait(let until) = schedule.decision(now: now) else { break }
            delays.append(until.timeIntervalSince(now))
            now = until
        }
        // 60, 120, 240 s; the next retry (480 s) would fall after the regular run, which reads corp anyway.
        #expect(delays == [60, 120, 240, 450])
        #expect(schedule.nextRun == Self.start + 900)
        #expect(schedule.sources.first { $0.source == "corp" }?.consecutiveFailures == 6)
        #expect(schedule.sources.first { $0.source == "demo" }?.state == .healthy)
        #expect(schedule.pendingRetries.isEmpty)
        #expect(try plan(schedule.decision(now: Self.start + 900)) == RunPlan(trigger: .scheduled, fullRead: true))
    }

    @Test func aRecoveredSourceStopsBeingRetried() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["corp"], now: Self.start)
        var random = SeededRandom(seed: 1)
        let first = try plan(schedule.decision(now: Self.start))
        schedule.record(
            report(first, at: Self.start, failing: ["corp"], sources: ["corp"]), of: first, now: Self.start,
            using: &random)
        let retry = try plan(schedule.decision(now: Self.start + 30))
        schedule.record(
            report(retry, at: Self.start + 30, sources: ["corp"]), of: retry, now: Self.start + 30, using: &random)
        let corp = try #require(schedule.sources.first)
        #expect(corp.state == .healthy && corp.consecutiveFailures == 0 && corp.nextRetry == nil)
        #expect(schedule.decision(now: Self.start + 31) == .wait(until: Self.start + 900))
    }

    @Test func aRequestedRunGoesFirstAndKeepsTheRegularTimeWhenItReadsSomeSources() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["corp", "demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        let first = try plan(schedule.decision(now: Self.start))
        schedule.record(
            report(first, at: Self.start, sources: ["corp", "demo"]), of: first, now: Self.start, using: &random)
        let asked = try plan(schedule.decision(now: Self.start + 60, requested: ["demo"]))
        #expect(asked.trigger == .requested && asked.sources == ["demo"])
        schedule.record(
            report(asked, at: Self.start + 60, sources: ["demo"]), of: asked, now: Self.start + 60, using: &random)
        #expect(schedule.nextRun == Self.start + 900)
        // Asking for everything restarts the interval from that run.
        let all = try plan(schedule.decision(now: Self.start + 120, requested: []))
        schedule.record(
            report(all, at: Self.start + 120, sources: ["corp", "demo"]), of: all, now: Self.start + 120, using: &random
        )
        #expect(schedule.nextRun == Self.start + 1020)
    }

    @Test func aRunThatFailsAsAWholeBacksOffUpToTheInterval() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        var now = Self.start
        var delays: [Double] = []
        for _ in 0..<7 {
            let run = try plan(schedule.decision(now: now))
            schedule.recordFailure(of: run, problem: "database is locked", now: now, using: &random)
            delays.append(schedule.nextRun.timeIntervalSince(now))
            now = schedule.nextRun
        }
        #expect(delays == [30, 60, 120, 240, 480, 900, 900])
        #expect(schedule.consecutiveRunFailures == 7)
    }

    @Test func fullReadsAreDueEveryFullSyncPeriod() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        var now = Self.start
        var fullReads: [Date] = []
        while now < Self.start + 13 * 3600 {
            let run = try plan(schedule.decision(now: now))
            if run.fullRead { fullReads.append(now) }
            schedule.record(report(run, at: now, sources: ["demo"]), of: run, now: now, using: &random)
            now = schedule.nextRun
        }
        #expect(fullReads == [Self.start, Self.start + 6 * 3600, Self.start + 12 * 3600])
        #expect(schedule.nextFullRead == Self.start + 18 * 3600)
    }

    @Test func aReloadThatChangesTheConfigurationRunsAtOnceAndKeepsKnownSourcesHealth() throws {
        var schedule = Schedule(policy: Self.policy, sources: ["corp", "demo"], now: Self.start)
        var random = SeededRandom(seed: 1)
        let first = try plan(schedule.decision(now: Self.start))
        schedule.record(
            report(first, at: Self.start, sources: ["corp", "demo"]), of: first, now: Self.start, using: &random)
        let shorter = SchedulePolicy(interval: .seconds(60), fullSyncEvery: .seconds(3600), jitter: 0)
        schedule.reconfigure(
            policy: shorter, sources: ["demo", "okta"], now: Self.start + 5, runNow: false, using: &random)
        #expect(schedule.nextRun == Self.start + 65)
        #expect(schedule.sources.map(\.source) == ["demo", "okta"])
        #expect(schedule.sources.map(\.state) == [.healthy, .unknown])
        schedule.reconfigure(policy: shorter, sources: ["demo"], now: Self.start + 6, runNow: true, using: &random)
        #expect(try plan(schedule.decision(now: Self.start + 6)).trigger == .scheduled)
    }
}

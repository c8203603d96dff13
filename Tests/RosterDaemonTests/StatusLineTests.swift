import Foundation
import Testing

@testable import RosterDaemon

struct StatusLineTests {
    let line = StatusLine(timeZone: TimeZone(identifier: "UTC")!)
    /// 2027-01-15 08:00:03 UTC.
    let finished = Date(timeIntervalSince1970: 1_800_000_003)

    private func report(changes: Int, exitCode: Int32 = 0, frozen: [String] = []) -> RunReport {
        RunReport(
            runID: "r", trigger: .scheduled, startedAt: finished, finishedAt: finished, exitCode: exitCode,
            outcome: "applied", summary: "", changes: changes > 0 ? ["create": changes] : [:], usersByStatus: [:],
            sources: frozen.map { SourceRead(source: $0, complete: false, seconds: 1, users: 0, groups: 0) })
    }

    @Test func afterARunItSaysWhenWhatAndWhenNext() {
        let next = finished + 15 * 60
        #expect(line.after(report(changes: 3), next: next, now: finished) == "last run 08:00:03: 3 changes, next 08:15")
        #expect(line.after(report(changes: 1), next: next, now: finished) == "last run 08:00:03: 1 change, next 08:15")
        #expect(
            line.after(report(changes: 0, exitCode: 4, frozen: ["corp"]), next: next, now: finished)
                == "last run 08:00:03: 0 changes, frozen: corp, next 08:15")
        #expect(
            line.after(report(changes: 5, exitCode: 3), next: next, now: finished)
                == "last run 08:00:03: aborted by a safety limit, next 08:15")
    }

    @Test func aNextRunWithinTwoMinutesGetsItsSeconds() {
        #expect(
            line.after(report(changes: 0), next: finished + 30, now: finished)
                == "last run 08:00:03: 0 changes, next 08:00:33")
    }

    @Test func anotherDayGetsItsDate() {
        #expect(line.clock(finished + 86_400, seconds: false, relativeTo: finished) == "2027-01-16 08:00")
    }

    @Test func aFailureIsShortened() {
        let text = line.failed(
            at: finished, problem: String(repeating: "x", count: 300), next: finished + 30, now: finished)
        #expect(
            text.count < 180 && text.hasPrefix("last run 08:00:03 failed: xxx") && text.hasSuffix("…, next 08:00:33"))
    }
}

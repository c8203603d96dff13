import Foundation

/// The one line `systemctl status` shows (`STATUS=`): "last run 12:00:03: 3 changes, next 12:15".
/// A next run less than two minutes away gets its seconds too: "next 12:00:33".
public struct StatusLine: Sendable {
    public var timeZone: TimeZone

    public init(timeZone: TimeZone = .current) { self.timeZone = timeZone }

    /// After a run: when it ended, what it changed, what froze, and when the next one is due.
    public func after(_ report: RunReport, next: Date, now: Date = Date()) -> String {
        let ended = "last run \(clock(report.finishedAt, seconds: true, relativeTo: now))"
        let what = report.exitCode == 3 ? "aborted by a safety limit" : changes(report.changeCount)
        var parts = ["\(ended): \(what)"]
        let frozen = report.frozenSources.map(\.source)
        if !frozen.isEmpty { parts.append("frozen: " + frozen.joined(separator: ", ")) }
        parts.append("next \(clock(next, seconds: next.timeIntervalSince(now) < 120, relativeTo: now))")
        return parts.joined(separator: ", ")
    }

    /// After a run that failed as a whole.
    public func failed(at time: Date, problem: String, next: Date, now: Date = Date()) -> String {
        let short = problem.count > 120 ? String(problem.prefix(117)) + "…" : problem
        return "last run \(clock(time, seconds: true, relativeTo: now)) failed: \(short), "
            + "next \(clock(next, seconds: next.timeIntervalSince(now) < 120, relativeTo: now))"
    }

    public func running(since start: Date, trigger: RunTrigger, now: Date = Date()) -> String {
        "running since \(clock(start, seconds: true, relativeTo: now)) (\(trigger.rawValue))"
    }

    /// `12:15`, or `12:15:03` with seconds; a date is added when `time` is not today.
    public func clock(_ time: Date, seconds: Bool, relativeTo now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        var text = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        if seconds { text += String(format: ":%02d", parts.second ?? 0) }
        if !calendar.isDate(time, inSameDayAs: now) {
            text = String(format: "%04d-%02d-%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0) + text
        }
        return text
    }

    private func changes(_ count: Int) -> String {
        count == 1 ? "1 change" : "\(count) changes"
    }
}

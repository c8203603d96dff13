import Foundation
import RosterCore

/// What one source returned in a run.
public struct SourceRead: Sendable, Hashable, Codable {
    public var source: String
    public var complete: Bool
    public var problem: String?
    public var seconds: Double
    public var users: Int
    public var groups: Int

    public init(source: String, complete: Bool, problem: String? = nil, seconds: Double, users: Int, groups: Int) {
        self.source = source
        self.complete = complete
        self.problem = problem
        self.seconds = seconds
        self.users = users
        self.groups = groups
    }
}

/// The outcome of one run, as the backend reports it to the daemon.
public struct RunReport: Sendable, Codable {
    public var runID: String
    public var trigger: RunTrigger
    public var startedAt: Date
    public var finishedAt: Date
    /// SPEC §5: 0 applied, 3 safety abort, 4 some source froze…
    public var exitCode: Int32
    /// `applied`, `unchanged`, `partial` (a source froze), `aborted` (safety limit).
    public var outcome: String
    /// `N created, N updated, N deactivated, N reactivated, N deleted`.
    public var summary: String
    /// Changes by kind (`create`, `update`, `rename`, `deactivate`, `reactivate`, `delete`).
    public var changes: [String: Int]
    /// Users of the directory by status after the run.
    public var usersByStatus: [String: Int]
    public var sources: [SourceRead]
    /// Why the run stopped short (the safety limit's message), if it did.
    public var problem: String?
    /// Problems worth a log line that did not stop the run (the audit mirror lagging…).
    public var warnings: [String]
    /// The plan as `roster reconcile` prints it; left out of status replies.
    public var text: String?
    /// The plan as `roster reconcile --format json` prints it; left out of status replies.
    public var document: JSONValue?

    /// snake_case, like the rest of Roster's JSON.
    private enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case trigger
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case exitCode = "exit_code"
        case outcome
        case summary
        case changes
        case usersByStatus = "users_by_status"
        case sources
        case problem
        case warnings
        case text
        case document
    }

    public init(
        runID: String, trigger: RunTrigger, startedAt: Date, finishedAt: Date, exitCode: Int32, outcome: String,
        summary: String, changes: [String: Int], usersByStatus: [String: Int], sources: [SourceRead],
        problem: String? = nil, warnings: [String] = [], text: String? = nil, document: JSONValue? = nil
    ) {
        self.runID = runID
        self.trigger = trigger
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.outcome = outcome
        self.summary = summary
        self.changes = changes
        self.usersByStatus = usersByStatus
        self.sources = sources
        self.problem = problem
        self.warnings = warnings
        self.text = text
        self.document = document
    }

    public var changeCount: Int { changes.values.reduce(0, +) }

    public var duration: Double { finishedAt.timeIntervalSince(startedAt) }

    /// Sources whose read was incomplete: they froze.
    public var frozenSources: [SourceRead] { sources.filter { !$0.complete } }

    /// The report without the plan's text and document, as status replies carry it.
    public var brief: RunReport {
        var brief = self
        brief.text = nil
        brief.document = nil
        return brief
    }
}

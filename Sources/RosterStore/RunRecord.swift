import Foundation

/// One reconcile run as `roster status` lists it.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var startedAt: Date
    /// Nil while the run is in progress (or when it died before finishing).
    public var finishedAt: Date?
    /// `applied`, `partial`, `aborted`, `failed`, `running`…
    public var outcome: String
    /// The plan's summary line, or why the run stopped.
    public var summary: String
    public var exitCode: Int32?

    public init(
        id: String, startedAt: Date, finishedAt: Date? = nil, outcome: String, summary: String = "",
        exitCode: Int32? = nil
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.summary = summary
        self.exitCode = exitCode
    }
}

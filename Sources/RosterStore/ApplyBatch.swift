import Foundation
import RosterCore

/// Everything one reconcile run (or one CLI action) writes, committed in one transaction.
public struct ApplyBatch: Sendable {
    /// The run these records belong to; when set, its `runs` row is written in the same transaction.
    public var runID: String?
    /// Records written before the changes' own (`run.start`, `config.load`).
    public var leading: [AuditEvent]
    /// The changes, in order. Kept apart from their records so that a reconcile hands over its
    /// plan's array itself: a copy of 100,000 changes was 38 MB of a first sync's peak.
    public var changes: [UserChange]
    /// The records that explain a change, by its position in `changes`; a change without any
    /// here gets `eventsOfChange`'s. An event whose `userID` is 0 gets the id of its change's
    /// user: the id the store assigns for a create.
    public var events: [Int: [AuditEvent]]
    /// Records written after the changes (`run.finish`).
    public var trailing: [AuditEvent]
    /// Builds the records of a change whose `events` are empty, as its row is written: a run
    /// of 100,000 changes then never holds all their events at once. Each comes with its
    /// `changes` and `reason` written (`AuditEventBuilder.writtenEvents`), which the record
    /// is written from when the event does not hold their values.
    public var eventsOfChange: (@Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent])?
    /// Hand the appended records back in `AppliedBatch.records` (a reconcile does not need them).
    public var keepsRecords = true
    /// Hand the users as stored back in `AppliedBatch.users`, and to `alongside` (a reconcile
    /// does not need them; without them both get none).
    public var keepsUsers = true
    /// The time stamped on every record, on `updated_at` of every changed user and `created_at` of new ones.
    public var now: Date

    // MARK: Run row (written when `runID` is set)

    /// When the run began; `now` when nil. Kept as first written when the row already exists.
    public var startedAt: Date?
    /// `applied`, `partial`, `aborted`, `failed`…: the run's result as `roster status` shows it.
    public var outcome: String
    /// The plan's summary line or the reason of an abort.
    public var summary: String
    public var exitCode: Int32?

    /// What the directory is planned against once the batch commits (a reconcile that read and
    /// planned everything); nil forgets the last one, so the next reconcile plans everyone.
    public var checkpoint: PlanCheckpoint?

    /// PHC strings to store with new local users, keyed by the position of their change in `changes`.
    /// Passwords of existing users change through `setPassword`; an update never touches them.
    public var passwordHashes: [Int: String]

    public init(
        runID: String? = nil, leading: [AuditEvent] = [], changes: [(change: UserChange, events: [AuditEvent])] = [],
        trailing: [AuditEvent] = [], now: Date = Date(), startedAt: Date? = nil, outcome: String = "applied",
        summary: String = "", exitCode: Int32? = nil, passwordHashes: [Int: String] = [:]
    ) {
        self.init(
            runID: runID, leading: leading, changes: changes.map(\.change), trailing: trailing, now: now,
            startedAt: startedAt, outcome: outcome, summary: summary, exitCode: exitCode,
            passwordHashes: passwordHashes)
        for (position, entry) in changes.enumerated() where !entry.events.isEmpty { events[position] = entry.events }
    }

    /// A batch of `changes` whose records all come from `eventsOfChange`.
    public init(
        runID: String? = nil, leading: [AuditEvent] = [], changes: [UserChange], trailing: [AuditEvent] = [],
        now: Date = Date(), startedAt: Date? = nil, outcome: String = "applied", summary: String = "",
        exitCode: Int32? = nil, passwordHashes: [Int: String] = [:]
    ) {
        self.runID = runID
        self.leading = leading
        self.changes = changes
        self.events = [:]
        self.trailing = trailing
        self.now = now
        self.startedAt = startedAt
        self.outcome = outcome
        self.summary = summary
        self.exitCode = exitCode
        self.passwordHashes = passwordHashes
    }
}

/// What a committed batch wrote.
public struct AppliedBatch: Sendable {
    /// Each change's user as stored, in the order of the batch: ids of new users filled in,
    /// `updated_at` (and for new users `created_at`) set to the batch's `now`.
    public var users: [DirectoryUser]
    /// The audit records appended, in `seq` order.
    public var records: [AuditRecord]
    /// Why the audit mirror could not be brought up to date; the commit stands regardless.
    public var mirrorWarning: String?

    public init(users: [DirectoryUser], records: [AuditRecord], mirrorWarning: String?) {
        self.users = users
        self.records = records
        self.mirrorWarning = mirrorWarning
    }
}

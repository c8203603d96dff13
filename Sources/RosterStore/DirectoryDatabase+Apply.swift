import Foundation
import RosterCore

extension DirectoryDatabase {
    /// Writes every change of `batch`, its audit records and its run row in one transaction.
    ///
    /// On any error nothing is written (the transaction is rolled back) and the error is rethrown.
    /// After the commit the audit mirror is brought up to date; its failure is reported in
    /// `mirrorWarning`, never thrown.
    public func apply(_ batch: ApplyBatch) throws -> AppliedBatch {
        try apply(batch) { _ in [] }
    }

    /// `apply(_:)`, with `alongside` run in the same transaction once the users are written (it
    /// gets them as stored) and before the audit records: its events are appended after the
    /// changes' own. An OIDC login writes its grant, session and `last_login` this way.
    func apply(_ batch: ApplyBatch, alongside: ([DirectoryUser]) throws -> [AuditEvent]) throws -> AppliedBatch {
        // A first sync's pages are nearly all new: written once through a rollback journal
        // rather than twice through the WAL (100k users: about 1 s of 6-7). Small batches gain
        // nothing from the switch.
        let bulkLoad = try batch.changes.count >= Self.bulkLoadMinimum && !hasUsers()
        let (users, records) =
            try bulkLoad
            ? connection.withRollbackJournal { try writeTransaction(batch, alongside: alongside) }
            : writeTransaction(batch, alongside: alongside)
        return AppliedBatch(users: users, records: records, mirrorWarning: updateAuditMirror())
    }

    /// The fewest changes for which `apply` loads an empty directory through a rollback journal.
    static let bulkLoadMinimum = 1000

    /// A reconcile's apply: the sources' caches as the run read them are written first, then
    /// `decide` gives the batch (planned meanwhile, on another thread) and it is written in the
    /// same transaction, so the caches and the directory planned from them never disagree.
    /// When `decide` gives no batch (a safety limit stopped the run), nothing is written.
    ///
    /// The caches cost a first sync about as much as its planning; written while the plan is
    /// worked out, the one no longer waits for the other.
    ///
    /// - Parameters:
    ///   - expectedChanges: about how many changes the batch will hold (the sources' users),
    ///     which decides, before the plan exists, whether an empty directory is loaded through a
    ///     rollback journal.
    ///   - beforeCommit: called once the batch is written, just before the commit: work started
    ///     there runs while the commit waits for the disk (on a first sync, a fifth of a second
    ///     in which nothing else runs).
    public func apply<Decision>(
        writingFirst caches: [SourceCacheWrite], now: Date, expectedChanges: Int,
        beforeCommit: () -> Void = {}, then decide: () throws -> (batch: ApplyBatch?, decision: Decision)
    ) throws -> (applied: AppliedBatch?, decision: Decision) {
        var decision: Decision?
        func write() throws -> (users: [DirectoryUser], records: [AuditRecord]) {
            try connection.transaction {
                for cache in caches { try self.write(cache, now: now) }
                let decided = try decide()
                decision = decided.decision
                // Thrown to roll the caches back; caught below.
                guard let batch = decided.batch else { throw NothingToApply() }
                let written = try writeChanges(batch, alongside: { _ in [] })
                beforeCommit()
                return written
            }
        }
        var applied: AppliedBatch?
        do {
            let bulkLoad = try expectedChanges >= Self.bulkLoadMinimum && !hasUsers()
            let (users, records) = try bulkLoad ? connection.withRollbackJournal(write) : write()
            applied = AppliedBatch(users: users, records: records, mirrorWarning: updateAuditMirror())
        } catch is NothingToApply {}
        // Set on both ways out: `decide` ran before the batch was written or refused.
        guard let decision else { throw StoreError.invalidChange("an apply ended before its batch was decided") }
        return (applied, decision)
    }

    private struct NothingToApply: Error {}

    /// Whether the directory has any user row (tombstones too).
    func hasUsers() throws -> Bool {
        var found = false
        try statement("SELECT EXISTS (SELECT 1 FROM users)").query { found = $0.bool(0) }
        return found
    }

    private func writeTransaction(_ batch: ApplyBatch, alongside: ([DirectoryUser]) throws -> [AuditEvent]) throws
        -> (users: [DirectoryUser], records: [AuditRecord])
    {
        try connection.transaction { try writeChanges(batch, alongside: alongside) }
    }

    /// Inside a write transaction: everything of `batch`.
    private func writeChanges(_ batch: ApplyBatch, alongside: ([DirectoryUser]) throws -> [AuditEvent]) throws
        -> (users: [DirectoryUser], records: [AuditRecord])
    {
        // The id each change's user is stored under; the users themselves only when the
        // caller wants them back (a first sync's would be a copy of every row at the peak).
        var ids: [Int64] = []
        ids.reserveCapacity(batch.changes.count)
        var users: [DirectoryUser] = []
        // Records go in as the rows do, in the same seq order as before: leading, each
        // change's, then the alongside and trailing ones.
        var audit = try AuditAppender(
            database: self, runID: batch.runID, now: batch.now, keepsRecords: batch.keepsRecords)
        try audit.append(batch.leading)
        try releaseKeys(of: batch.changes)
        var newRows = try UserRowWriter(self)
        // A batch whose records all come from `eventsOfChange` (a reconcile's) has them built
        // and chained on another thread, ahead of the rows.
        var prefetch =
            batch.events.isEmpty
            ? batch.eventsOfChange.map {
                AuditEventPrefetch(
                    changes: batch.changes, after: audit.link, nextUserID: newRows.nextID, time: audit.time,
                    runID: audit.runID, build: $0)
            } : nil
        var facts = FactWriter(self)
        // A batch of creates only (a first sync) has no old facts to delete first, so each new
        // user's go in along with the rows, once its row is flushed (they reference it): while
        // the rows wait for the audit prefetch, rather than alone after them.
        let factsAlongRows = batch.changes.indices.allSatisfy { batch.changes[$0].action == .create }
        var awaitingRowFlush: [DirectoryUser] = []
        // By position, and `writeRow` borrows the change: passed as a copy, every field of each
        // was retained and released once more (a million-user first sync spent 0.26 s on copies).
        for position in batch.changes.indices {
            let user = try writeRow(
                of: batch.changes[position], passwordHash: batch.passwordHashes[position], now: batch.now,
                newRows: &newRows)
            ids.append(user.id)
            if batch.keepsUsers { users.append(user) }
            if factsAlongRows {
                awaitingRowFlush.append(user)
                if newRows.isFlushed {
                    for user in awaitingRowFlush { try facts.add(user) }
                    awaitingRowFlush.removeAll(keepingCapacity: true)
                }
            }
            if let prepared = try prefetch?.records(at: position) {
                if let id = prepared.newUserID, id != user.id {
                    throw StoreError.invalidChange(
                        "the audit records of \(user.email) name user \(id), stored as \(user.id)")
                }
                for record in prepared.records { try audit.append(record) }
                continue
            }
            let events =
                batch.events[position]?.map { ($0, nil) } ?? batch.eventsOfChange?(batch.changes[position]) ?? []
            for (var event, prewritten) in events {
                if event.userID == 0 { event.userID = user.id }
                try audit.append(event, prewritten: prewritten)
            }
        }
        try newRows.finish()
        if factsAlongRows {
            for user in awaitingRowFlush { try facts.add(user) }
        } else {
            try addFacts(of: batch, storedUnder: ids, to: &facts)
        }
        try facts.finish()
        try audit.append(try alongside(users))
        try audit.append(batch.trailing)
        // Every record is written before the checkpoint, which names the last of them.
        let records = try audit.finish()
        try writePlanCheckpoint(batch.checkpoint)
        if let runID = batch.runID {
            try writeRun(
                RunRecord(
                    id: runID, startedAt: batch.startedAt ?? batch.now, finishedAt: batch.now,
                    outcome: batch.outcome, summary: batch.summary, exitCode: batch.exitCode))
        }
        return (users, records)
    }

    /// The facts of a batch that also updates users, once every row is written: all deletions
    /// before any insertion, so that an identity moving between two users of the same batch
    /// never collides with its old row. A user changed twice keeps its last facts.
    private func addFacts(of batch: ApplyBatch, storedUnder ids: [Int64], to facts: inout FactWriter) throws {
        // (By position: filtering the users or zipping them with the changes would copy every
        // user, and on a first sync that is a copy of the whole directory at the peak.)
        var lastPosition: [Int64: Int] = [:]
        for (position, id) in ids.enumerated() { lastPosition[id] = position }
        let finalPositions = ids.indices.filter { lastPosition[ids[$0]] == $0 }
        // Ids are AUTOINCREMENT and facts reference their user: a user created by this batch
        // has none to delete (on a first sync, most of the batch).
        var created = Set<Int64>()
        for position in batch.changes.indices where batch.changes[position].action == .create {
            created.insert(ids[position])
        }
        // A change that leaves a user's identities and assignments as they were (a new name,
        // a deactivation) writes none of them: most updates touch only the users row.
        var keepsFacts = Set<Int>()
        for position in finalPositions where !created.contains(ids[position]) {
            let after = batch.changes[position].after
            if let before = batch.changes[position].before, before.identities == after.identities,
                before.assignments == after.assignments
            {
                keepsFacts.insert(position)
                continue
            }
            try deleteFacts(of: ids[position])
        }
        for position in finalPositions where !keepsFacts.contains(position) {
            // Facts are the change's identities and assignments, stored under the row's id.
            var user = batch.changes[position].after
            user.id = ids[position]
            try facts.add(user)
        }
    }

    /// Inserts or updates the users row of `change.after`; returns the user as stored.
    private func writeRow(
        of change: borrowing UserChange, passwordHash: String?, now: Date, newRows: inout UserRowWriter
    ) throws -> DirectoryUser {
        var user = change.after
        user.updatedAt = StoreTime.rounded(now)
        if change.action == .create {
            guard user.id == 0 else {
                throw StoreError.invalidChange("creating \(user.email) with id \(user.id); a new user has id 0")
            }
            user.id = try newRows.insert(user, passwordHash: passwordHash, now: now)
            user.createdAt = user.updatedAt
            user.hasPassword = passwordHash != nil
        } else {
            guard user.id > 0 else {
                throw StoreError.invalidChange("\(change.action.rawValue) of \(user.email) without a user id")
            }
            guard passwordHash == nil else {
                throw StoreError.invalidChange("a password for \(user.email) is set with setPassword, not an update")
            }
            try updateUserRow(user, now: now)
            if let before = change.before { user.hasPassword = before.hasPassword }
        }
        return user
    }

    /// Two users may swap emails or usernames in one batch. The unique indexes are checked row by
    /// row, so the keys of every user whose email or username changes are first set to values of
    /// their own (`\u{1}<id>`) that no real key can take; the row writes then set the real ones.
    private func releaseKeys(of changes: [UserChange]) throws {
        // By position, so that no change is copied on the way.
        for position in changes.indices where changes[position].action != .create {
            let change = changes[position]
            guard let before = change.before,
                before.email != change.after.email || before.username != change.after.username
            else { continue }
            try statement("UPDATE users SET email_key = ?, username_key = ? WHERE id = ?").execute([
                .text("\u{1}\(before.id)"), .text("\u{1}\(before.id)"), .integer(before.id),
            ])
        }
    }
}

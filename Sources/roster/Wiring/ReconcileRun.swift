import Foundation
import RosterCore
import RosterCrypto
import RosterDaemon
import RosterStore

/// One reconcile: read, plan, check the limits, apply with its audit records in one transaction.
struct ReconcileRun {
    struct Options {
        var dryRun = false
        var exitCode = false
        var force = false
        var sources: [String] = []
        /// Print JSON rather than text; only the form asked for is built (a plan of 100,000
        /// changes costs a second to render).
        var json = false
        /// Build both forms (the daemon hands either to `reconcile --now`).
        var rendersBoth = false
        /// Read every source in full (`--full`, or the daemon's scheduled full read).
        var full = false
    }

    struct Result {
        var text: String
        var json: JSONValue
        var exitCode: Int32
        /// A problem worth stderr that did not stop the run (the audit mirror lagging…).
        var warning: String?
        var frozen: [FrozenSource]
        var runID: String
        var startedAt: Date
        /// `applied`, `unchanged`, `partial` (a source froze), `aborted` (safety limit), `dry-run`.
        var outcome: String
        /// The plan's summary line.
        var summary: String
        /// Planned (and, unless a dry run or an abort, applied) changes by kind.
        var changes: [String: Int]
        /// The directory's users by status once the run is over.
        var usersByStatus: [String: Int]
        var sources: [SourceReadSummary]
        /// The safety limit's message when it stopped the run.
        var problem: String?
    }

    let configuration: RosterConfiguration
    /// Nil only for a dry run before the directory exists.
    let database: DirectoryDatabase?
    let options: Options
    /// SHA-256 of the bytes `configuration` was loaded from. The daemon sets it: the file may have
    /// changed since without a reload, and `config.load` must name what the run really used.
    var configDigest: String?
    /// The daemon's stop gate: every write of the run goes through it, so a stop never finds one
    /// half done. Nil for one-shot runs, which stop only by being killed (SQLite rolls back).
    var gate: ApplyGate?

    func run() async throws -> Result {
        let (result, leftovers) = try await perform()
        // Off the main thread: the output and the exit need not wait for a first sync's frees.
        BackgroundRelease.release(consume leftovers)
        return result
    }

    /// What a run holds until it ends (a first sync's whole plan, reads and caches), handed back
    /// so that it is freed elsewhere (`BackgroundRelease`).
    private struct Leftovers {
        var plan: Plan
        var reads: [SourceReading.SourceRead]
        var inputs: PlanInputs
        var planner: Planner
        var applied: AppliedBatch?
    }

    private func perform() async throws -> (Result, Leftovers) {
        let runID = Self.newRunID()
        let started = Date()
        let readers = try SourceFactory.readers(for: configuration, only: options.sources)
        let digest = configDigest ?? FileManager.default.contents(atPath: configuration.path).map { SHA256.hex($0) }
        // What the plan checkpoint records: the settings, not the bytes, so that an edit of
        // comments alone still lets the next run plan only the people its changes touch (at a
        // million users, a plan of everyone is 20 s and 2.5 GB). `config.load` audits the bytes.
        let settingsDigest =
            configuration.canonicalSettings.isEmpty ? digest : SHA256.hex(Data(configuration.canonicalSettings.utf8))
        // Taken before anything of this run is written: what the directory was last planned against.
        let checkpoint = try database?.currentPlanCheckpoint()
        let reads = try await SourceReading(
            database: database, forceFull: options.full, fullSyncEvery: configuration.daemon.fullSyncEvery,
            now: started
        ).readAll(readers)
        let readsEverySource = Set(readers.map(\.name)) == Set(configuration.sources.map(\.name))
        let inputs = try PlanInputs.build(
            reads, configuration: configuration, database: database, checkpoint: checkpoint,
            settingsDigest: settingsDigest,
            readsEverySource: readsEverySource, now: started)
        let snapshots = inputs.snapshots
        let planner = Planner(
            configuration: configuration, directory: inputs.directory, now: started, totals: inputs.totals)
        // Only the daemon reports users by status (its metrics); a one-shot run need not count them.
        let statusCounts = options.rendersBoth ? try database?.userCountsByStatus() ?? [:] : [:]
        let readsComplete = readsEverySource && reads.allSatisfy { $0.cacheable && $0.snapshot.complete }

        let summaries = snapshots.map { snapshot in
            var summary = SourceReadSummary(snapshot)
            if let size = inputs.sizes[snapshot.source] { (summary.users, summary.groups) = size }
            return summary
        }
        let rendersText = !options.json || options.rendersBoth

        var plan: Plan
        var applied: AppliedBatch?
        // The plan's text, rendered on another thread: while the commit waits for the disk, or
        // at once when nothing is written.
        var planText: BackgroundWork<String>?
        var decidedPlan: Plan?
        func renderText() {
            guard rendersText, planText == nil, let decidedPlan else { return }
            // In parts on every core, which the disk's wait leaves idle. Many more parts than
            // cores: the parts are held until the text is joined, and each is freed once copied
            // into it, so the text is held about once and a sixteenth.
            planText = BackgroundWork("roster-plan-text") {
                PlanFormatter.text(decidedPlan, sources: summaries, pieces: 16, reserving: Self.statusRoom)
            }
        }
        if let database, !options.dryRun {
            // Planned on another thread while the caches are written; applied in their transaction
            // unless a safety limit stops it.
            let planning = BackgroundWork("roster-plan") { planner.plan(snapshots) }
            (applied, plan) = try write {
                try database.apply(
                    writingFirst: inputs.cacheUpdates, now: Date(),
                    expectedChanges: snapshots.reduce(0) { $0 + $1.users.count }, beforeCommit: renderText
                ) {
                    let plan = try settle(planning.wait(), planner: planner, database: database)
                    // The daemon began stopping while the run planned: nothing is applied, the
                    // caches written meanwhile included, as when the stop comes before the apply.
                    if gate?.isClosed == true { throw ApplyGate.Closed() }
                    decidedPlan = plan
                    guard plan.safetyBreach == nil || options.force else {
                        renderText()
                        return (nil, plan)
                    }
                    var batch = try makeBatch(
                        plan, database: database, runID: runID, started: started,
                        exitCode: plan.frozenSources.isEmpty ? ExitCode.ok : ExitCode.sourceIncomplete,
                        snapshots: snapshots, digest: digest)
                    batch.checkpoint = nextCheckpoint(
                        plan, inputs: inputs, readsComplete: readsComplete, digest: settingsDigest)
                    return (batch, plan)
                }
            }
        } else {
            plan = try settle(planner.plan(snapshots), planner: planner, database: database)
        }
        let frozen = !plan.frozenSources.isEmpty
        var exitCode = frozen ? ExitCode.sourceIncomplete : ExitCode.ok
        var status: String
        var warning: String?
        var outcome = plan.isEmpty && !frozen ? "unchanged" : frozen ? "partial" : "applied"
        if options.dryRun {
            outcome = "dry-run"
            status = "dry run: nothing applied"
            if !frozen, plan.safetyBreach != nil, !options.force {
                exitCode = ExitCode.safetyAbort
            } else if !frozen, options.exitCode, !plan.isEmpty {
                exitCode = ExitCode.pendingChanges
            }
        } else if let database, let breach = plan.safetyBreach, !options.force {
            outcome = "aborted"
            try write {
                _ = try database.appendAudit(
                    [
                        AuditEvent(
                            action: "run.start", actor: "sync",
                            reason: .object(["sources": .strings(snapshots.map(\.source))])),
                        AuditEvent(
                            action: "run.abort", actor: "sync",
                            reason: .object([
                                "limit": .string(breach.limit), "planned": .int(Int64(breach.planned)),
                                "allowed": .int(Int64(breach.allowed)), "message": .string(breach.description),
                            ])),
                    ], runID: runID, now: Date())
                try database.recordRun(
                    RunRecord(
                        id: runID, startedAt: started, finishedAt: Date(), outcome: "aborted",
                        summary: breach.description, exitCode: ExitCode.safetyAbort))
            }
            status = "aborted by a safety limit: nothing applied (run \(runID))"
            exitCode = ExitCode.safetyAbort
        } else if let applied {
            warning = applied.mirrorWarning.map { "audit mirror \(configuration.audit.file ?? ""): \($0)" }
            status = plan.isEmpty ? "nothing to change (run \(runID))" : "applied in run \(runID)"
        } else {
            status = "nothing applied"
        }

        var text = ""
        if let planText {
            // Appended to in place: `+` would copy a first sync's whole plan text once more.
            text = planText.wait()
            text += "\n"
            text += status
        } else if rendersText {
            // The audit records are written: only the JSON plan still reads the changes' chains.
            if !options.json && !options.rendersBoth { plan.releaseChainSources() }
            text = PlanFormatter.text(plan, sources: summaries, reserving: Self.statusRoom)
            text += "\n"
            text += status
        }
        let json: JSONValue =
            !options.json && !options.rendersBoth
            ? .null
            : PlanFormatter.json(
                plan, sources: summaries,
                extra: [
                    "run": .string(runID), "dry_run": .bool(options.dryRun), "status": .string(status),
                    "exit_code": .int(Int64(exitCode)),
                ])
        let counts = plan.actionCounts
        let result = Result(
            text: text, json: json, exitCode: exitCode, warning: warning, frozen: plan.frozenSources, runID: runID,
            startedAt: started, outcome: outcome, summary: Plan.summaryLine(counts),
            changes: Dictionary(uniqueKeysWithValues: counts.map { ($0.rawValue, $1) }),
            // Counted only where reported: a first sync's changes are 100,000 copies to walk through.
            usersByStatus: options.rendersBoth
                ? Self.usersByStatus(statusCounts, after: applied != nil ? plan : nil) : [:],
            sources: summaries,
            problem: outcome == "aborted" ? plan.safetyBreach?.description : nil)
        return (result, Leftovers(plan: plan, reads: reads, inputs: inputs, planner: planner, applied: applied))
    }

    /// `plan` with the safety limits weighed against the whole directory when only the people
    /// touched were planned: their removals against everyone.
    private func settle(_ plan: Plan, planner: Planner, database: DirectoryDatabase?) throws -> Plan {
        guard var totals = planner.totals, totals.managedUsers == nil, let database,
            plan.actionCounts.keys.contains(where: { $0 == .deactivate || $0 == .delete })
        else { return plan }
        var plan = plan
        totals.managedUsers = try database.managedUserCounts().all
        let whole = Planner(
            configuration: configuration, directory: planner.directory, now: planner.now, totals: totals)
        plan.safetyBreach = whole.safetyBreach(plan)
        return plan
    }

    /// What the next run starts from, committed with the plan: when every source was read
    /// completely and none froze, the checkpoint that lets the next run plan only the people its
    /// changes touch.
    private func nextCheckpoint(_ plan: Plan, inputs: PlanInputs, readsComplete: Bool, digest: String?)
        -> PlanCheckpoint?
    {
        guard readsComplete, plan.frozenSources.isEmpty, let digest else { return nil }
        let caches = Dictionary(
            inputs.cacheUpdates.map { ($0.source, $0.generation) }, uniquingKeysWith: { first, _ in first })
        guard caches.count == inputs.snapshots.count else { return nil }
        return PlanCheckpoint(configSHA256: digest, caches: caches)
    }

    /// Runs a write through the daemon's gate when there is one.
    private func write<T>(_ body: () throws -> T) throws -> T {
        guard let gate else { return try body() }
        return try gate.perform(body)
    }

    /// Users by status (`counts` before the run), once `plan` (if applied) has changed them.
    static func usersByStatus(_ counts: [String: Int], after plan: Plan?) -> [String: Int] {
        var counts = counts
        for change in plan?.changes ?? [] {
            if let before = change.before { counts[before.status.rawValue, default: 0] -= 1 }
            counts[change.after.status.rawValue, default: 0] += 1
        }
        return counts
    }

    private func makeBatch(
        _ plan: Plan, database: DirectoryDatabase, runID: String, started: Date, exitCode: Int32,
        snapshots: [SourceSnapshot], digest: String?
    ) throws -> ApplyBatch {
        // Each change's records are built as its row is written (`eventsOfChange`), not here; the
        // plan's array is handed over as it is (shared, not copied).
        let changes = plan.changes
        let summary = plan.summaryLine
        var leading: [AuditEvent] = []
        var trailing: [AuditEvent] = []
        if let configEvent = try Self.configLoadEvent(path: configuration.path, digest: digest, database: database) {
            leading.append(configEvent)
        }
        if !changes.isEmpty || !leading.isEmpty {
            leading.insert(
                AuditEvent(
                    action: "run.start", actor: "sync", reason: .object(["sources": .strings(snapshots.map(\.source))])),
                at: 0)
            var finish: [String: JSONValue] = ["summary": .string(summary)]
            if let breach = plan.safetyBreach {
                finish["forced"] = .string("--force overrode: \(breach)")
            }
            if !plan.frozenSources.isEmpty {
                finish["frozen"] = .array(
                    plan.frozenSources.map { .object(["source": .string($0.source), "problem": .string($0.problem)]) })
            }
            trailing.append(AuditEvent(action: "run.finish", actor: "sync", reason: .object(finish)))
        }
        var batch = ApplyBatch(
            runID: runID, leading: leading, changes: changes, trailing: trailing, now: Date(), startedAt: started,
            outcome: plan.frozenSources.isEmpty ? "applied" : "partial", summary: summary, exitCode: exitCode)
        batch.eventsOfChange = { AuditEventBuilder.writtenEvents(for: $0, actor: "sync") }
        batch.keepsRecords = false
        batch.keepsUsers = false
        return batch
    }

    /// `config.load` when the configuration's bytes (`digest`, else the file's bytes now) differ
    /// from the last ones audited.
    static func configLoadEvent(path: String, digest: String?, database: DirectoryDatabase) throws -> AuditEvent? {
        guard let digest = digest ?? FileManager.default.contents(atPath: path).map({ SHA256.hex($0) }) else {
            return nil
        }
        let last = try database.auditRecords(AuditFilter(action: "config.load", limit: 1)).last
        if last?.changes?["sha256"]?.stringValue == digest { return nil }
        return AuditEvent(
            action: "config.load", actor: "sync", changes: .object(["path": .string(path), "sha256": .string(digest)]))
    }

    /// Bytes left free after a plan's text for the status line appended to it (at most about
    /// 80), so that appending it does not copy the text.
    static let statusRoom = 256

    static func newRunID() -> String {
        let stamp = Timestamp.string(Date()).replacingOccurrences(of: "-", with: "").replacingOccurrences(
            of: ":", with: "")
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return String(stamp.prefix(15)) + "Z-" + random
    }
}

import Foundation
import RosterCore
import RosterCrypto
import RosterStore

/// One reconcile: read, plan, check the limits, apply with its audit records in one transaction.
struct ReconcileRun {
    struct Options {
        var dryRun = false
        var exitCode = false
        var force = false
        var sources: [String] = []
        var json = false
    }

    struct Result {
        var text: String
        var json: JSONValue
        var exitCode: Int32
        /// A problem worth stderr that did not stop the run (the audit mirror lagging…).
        var warning: String?
        var frozen: [FrozenSource]
    }

    let configuration: RosterConfiguration
    /// Nil only for a dry run before the directory exists.
    let database: DirectoryDatabase?
    let options: Options

    func run() async throws -> Result {
        let runID = Self.newRunID()
        let started = Date()
        let readers = try SourceFactory.readers(for: configuration, only: options.sources)
        let snapshots = await SourceFactory.readAll(readers)
        let directory = try database?.loadUsers() ?? []
        let plan = Planner(configuration: configuration, directory: directory, now: started).plan(snapshots)
        let summaries = snapshots.map(SourceReadSummary.init)
        let frozen = !plan.frozenSources.isEmpty

        var exitCode = frozen ? ExitCode.sourceIncomplete : ExitCode.ok
        var status: String
        var warning: String?
        if options.dryRun {
            status = "dry run: nothing applied"
            if !frozen, plan.safetyBreach != nil, !options.force {
                exitCode = ExitCode.safetyAbort
            } else if !frozen, options.exitCode, !plan.isEmpty {
                exitCode = ExitCode.pendingChanges
            }
        } else if let database, let breach = plan.safetyBreach, !options.force {
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
                    id: runID, startedAt: started, finishedAt: Date(), outcome: "aborted", summary: breach.description,
                    exitCode: ExitCode.safetyAbort))
            status = "aborted by a safety limit: nothing applied (run \(runID))"
            exitCode = ExitCode.safetyAbort
        } else if let database {
            let batch = try makeBatch(
                plan, database: database, runID: runID, started: started, exitCode: exitCode, snapshots: snapshots)
            let applied = try database.apply(batch)
            warning = applied.mirrorWarning.map { "audit mirror \(configuration.audit.file ?? ""): \($0)" }
            status = plan.isEmpty ? "nothing to change (run \(runID))" : "applied in run \(runID)"
        } else {
            status = "nothing applied"
        }

        let text = PlanFormatter.text(plan, sources: summaries) + "\n" + status
        let json = PlanFormatter.json(
            plan, sources: summaries,
            extra: [
                "run": .string(runID), "dry_run": .bool(options.dryRun), "status": .string(status),
                "exit_code": .int(Int64(exitCode)),
            ])
        return Result(text: text, json: json, exitCode: exitCode, warning: warning, frozen: plan.frozenSources)
    }

    private func makeBatch(
        _ plan: Plan, database: DirectoryDatabase, runID: String, started: Date, exitCode: Int32,
        snapshots: [SourceSnapshot]
    ) throws -> ApplyBatch {
        let changes = plan.changes.map { ($0, AuditEventBuilder.events(for: $0, actor: "sync")) }
        var leading: [AuditEvent] = []
        var trailing: [AuditEvent] = []
        if let configEvent = try configLoadEvent(database) { leading.append(configEvent) }
        if !changes.isEmpty || !leading.isEmpty {
            leading.insert(
                AuditEvent(
                    action: "run.start", actor: "sync", reason: .object(["sources": .strings(snapshots.map(\.source))])),
                at: 0)
            var finish: [String: JSONValue] = ["summary": .string(plan.summaryLine)]
            if let breach = plan.safetyBreach {
                finish["forced"] = .string("--force overrode: \(breach)")
            }
            if !plan.frozenSources.isEmpty {
                finish["frozen"] = .array(
                    plan.frozenSources.map { .object(["source": .string($0.source), "problem": .string($0.problem)]) })
            }
            trailing.append(AuditEvent(action: "run.finish", actor: "sync", reason: .object(finish)))
        }
        return ApplyBatch(
            runID: runID, leading: leading, changes: changes, trailing: trailing, now: Date(), startedAt: started,
            outcome: plan.frozenSources.isEmpty ? "applied" : "partial", summary: plan.summaryLine, exitCode: exitCode)
    }

    /// `config.load` when the configuration's bytes differ from the last ones audited.
    private func configLoadEvent(_ database: DirectoryDatabase) throws -> AuditEvent? {
        guard let bytes = FileManager.default.contents(atPath: configuration.path) else { return nil }
        let digest = SHA256.hex(bytes)
        let last = try database.auditRecords(AuditFilter(action: "config.load")).last
        if last?.changes?["sha256"]?.stringValue == digest { return nil }
        return AuditEvent(
            action: "config.load", actor: "sync",
            changes: .object(["path": .string(configuration.path), "sha256": .string(digest)]))
    }

    static func newRunID() -> String {
        let stamp = Timestamp.string(Date()).replacingOccurrences(of: "-", with: "").replacingOccurrences(
            of: ":", with: "")
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return String(stamp.prefix(15)) + "Z-" + random
    }
}

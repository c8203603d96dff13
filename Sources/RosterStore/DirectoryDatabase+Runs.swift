import Foundation

extension DirectoryDatabase {
    /// Writes or updates the row of `run` (its own transaction). A run's `started_at` never changes once written.
    public func recordRun(_ run: RunRecord) throws {
        try connection.transaction { try writeRun(run) }
    }

    /// The latest runs, newest first.
    public func recentRuns(limit: Int = 10) throws -> [RunRecord] {
        var runs: [RunRecord] = []
        try statement(
            """
            SELECT id, started_at, finished_at, outcome, summary, exit_code FROM runs
            ORDER BY started_at DESC, rowid DESC LIMIT ?
            """
        ).query([.integer(Int64(max(0, limit)))]) { row in
            let id = row.text(0) ?? ""
            guard let startedText = row.text(1), let startedAt = StoreTime.date(from: startedText) else {
                throw StoreError.corruptRow(table: "runs", key: id, problem: "started_at is not a timestamp")
            }
            runs.append(
                RunRecord(
                    id: id, startedAt: startedAt, finishedAt: row.text(2).flatMap(StoreTime.date(from:)),
                    outcome: row.text(3) ?? "", summary: row.text(4) ?? "",
                    exitCode: row.optionalInt64(5).map { Int32(truncatingIfNeeded: $0) }))
        }
        return runs
    }

    /// Upserts the run row; must be called inside a transaction.
    func writeRun(_ run: RunRecord) throws {
        try statement(
            """
            INSERT INTO runs (id, started_at, finished_at, outcome, summary, exit_code) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome,
                summary = excluded.summary, exit_code = excluded.exit_code
            """
        ).execute([
            .text(run.id), .text(run.startedAt.storeText), .optional(run.finishedAt?.storeText), .text(run.outcome),
            .text(run.summary), .optional(run.exitCode.map { Int64($0) }),
        ])
    }
}

import CSQLite
import Foundation

/// The platform's directory in SQLite: users with their identities and assignments, the
/// hash-chained audit log, and the history of runs.
///
/// Every write is one transaction; the audit records of a change commit with the change, so the
/// directory and its log never disagree, also after `kill -9` or a power loss (WAL with
/// `synchronous=FULL`). Not thread-safe: use one instance from one thread or actor at a time.
public final class DirectoryDatabase {
    public let path: String
    let connection: SQLiteConnection
    /// The optional JSON-lines copy of the audit log, brought up to date after each commit.
    public let auditMirror: AuditMirror?
    /// Why the latest mirror update failed, or nil when it succeeded (or there is no mirror).
    /// A mirror failure never undoes a commit: the database copy is authoritative.
    public internal(set) var mirrorWarning: String?
    /// Prepared statements by SQL, reused for the life of the connection.
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens the database at `path`, creating its folder (0750), file (0640) and schema as needed.
    public static func open(path: String, auditMirror: String? = nil) throws -> DirectoryDatabase {
        try DirectoryDatabase(path: path, auditMirror: auditMirror.map { AuditMirror(path: $0) })
    }

    init(path: String, auditMirror: AuditMirror?) throws {
        do {
            try FileSystem.createParentFolder(of: path)
            try FileSystem.createFileIfMissing(path, mode: 0o640)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
        self.auditMirror = auditMirror
        connection = try SQLiteConnection(path: path)
        try configure()
        try Schema.migrate(connection)
    }

    private func configure() throws {
        // Before anything that may need a lock, so that even the journal switch waits for other processes.
        sqlite3_busy_timeout(connection.handle, SQLiteConnection.busyTimeoutMilliseconds)
        // Pages of 8 KiB rather than 4 KiB, set while the file is still empty (later it is kept):
        // a first sync makes half the page writes and takes less CPU. Not 16 KiB: a first sync
        // was no faster, and an incremental run whose changes are spread over a million users
        // (one in a hundred) rewrote and re-read twice the bytes, 30% slower.
        try connection.execute("PRAGMA page_size = 8192")
        let mode: String?
        do {
            mode = try connection.scalarText("PRAGMA journal_mode = WAL")
        } catch let error as SQLiteError where error.code & 0xff == SQLITE_BUSY {
            // Only a bulk load (`withRollbackJournal`) keeps the file from the WAL this long.
            throw StoreError.cannotOpen(
                path: path,
                reason: "a first sync is loading it and has the file to itself until it commits; "
                    + "try again when that run finishes")
        }
        guard mode?.lowercased() == "wal" else {
            throw StoreError.cannotOpen(
                path: path, reason: "the file system does not support write-ahead logging (journal mode \(mode ?? "?"))"
            )
        }
        // FULL syncs the WAL at every commit: a committed run survives a power loss, not only a crash.
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("PRAGMA foreign_keys = ON")
        // A statement that writes several rows keeps the pages it changes in a statement journal
        // (to undo just that statement); kept in memory, the journal of one statement is a few
        // pages, where on disk a first sync wrote 900 MB of them into a temporary file (about
        // 228,000 page writes against 73,000 for the directory itself).
        try connection.execute("PRAGMA temp_store = MEMORY")
    }

    /// The cached prepared statement for `sql`, which must be a constant of this module: values are bound.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try connection.prepare(sql)
        statements[sql] = statement
        return statement
    }

    // MARK: - Source state

    /// A value a source kept between runs (such as an incremental-sync cookie), or nil.
    public func sourceState(_ source: String, key: String) throws -> String? {
        var value: String?
        try statement("SELECT value FROM source_state WHERE source = ? AND key = ?")
            .query([.text(source), .text(key)]) { value = $0.text(0) }
        return value
    }

    /// Stores (or with nil, removes) a value a source keeps between runs.
    public func setSourceState(_ source: String, key: String, value: String?, now: Date = Date()) throws {
        if let value {
            try statement(
                """
                INSERT INTO source_state (source, key, value, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """
            ).execute([.text(source), .text(key), .text(value), .text(now.storeText)])
        } else {
            try statement("DELETE FROM source_state WHERE source = ? AND key = ?").execute([.text(source), .text(key)])
        }
    }
}

@available(*, unavailable)
extension DirectoryDatabase: Sendable {}

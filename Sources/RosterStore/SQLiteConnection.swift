import CSQLite

/// Owns one `sqlite3*` connection. Not thread-safe: one thread (or actor) at a time.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(code: code, operation: "open \(path)", connection: handle)
            // sqlite3_open_v2 allocates a handle even on failure; it must still be closed.
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        // close_v2 defers the close until every statement of this connection is finalized.
        sqlite3_close_v2(handle)
    }

    // MARK: - Statements

    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    /// Runs fixed SQL without parameters (schema, pragmas, transaction control); may hold several statements.
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard code == SQLITE_OK else {
            var error = SQLiteError(code: code, operation: "exec", sql: sql, connection: handle)
            if let errorMessage { error.message = String(cString: errorMessage) }
            throw error
        }
    }

    /// The first column of the first row of a parameterless query (pragmas), or nil when it returns no row.
    func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        var value: String?
        try statement.query { value = $0.text(0) }
        return value
    }

    /// Rows changed by the latest INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The most parameters one statement may have (`SQLITE_LIMIT_VARIABLE_NUMBER`); set lower,
    /// it stays lower for this connection (SQLite never raises a limit past its build's).
    var parameterLimit: Int {
        get { Int(sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) }
        set { sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, Int32(clamping: newValue)) }
    }

    // MARK: - Transactions

    /// How long a statement waits for another connection's lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 5000

    /// Runs `body` with a rollback journal instead of the write-ahead log when this connection
    /// has the file to itself, and switches back to the WAL afterwards; else runs it in the WAL.
    ///
    /// For a transaction that mostly adds pages (a first sync into an empty directory): the WAL
    /// takes every new page and the checkpoint then writes it again into the file, while a
    /// rollback journal keeps only the few pages that existed, and new ones go to the file once.
    /// Leaving the WAL needs the file alone, so it is tried without waiting: another connection
    /// (a reader) keeps the WAL, which is as safe, only slower. Both modes are atomic and, with
    /// `synchronous = FULL`, durable; a crash mid-way leaves a hot journal that the next open
    /// rolls back before it switches to the WAL.
    func withRollbackJournal<T>(_ body: () throws -> T) throws -> T {
        sqlite3_busy_timeout(handle, 0)
        let switched = (try? scalarText("PRAGMA journal_mode = DELETE"))?.lowercased() == "delete"
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        guard switched else { return try body() }
        defer {
            // Should another process hold the file just as the load ends, the switch fails and
            // the file stays in rollback mode until the next open, which switches it (as every
            // open does).
            _ = try? scalarText("PRAGMA journal_mode = WAL")
        }
        return try body()
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back on any error, then rethrows it.
    ///
    /// IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead
    /// of one failing at its first write after both have read.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isInTransaction {
                // The original error is the one worth reporting; a failed rollback leaves the
                // transaction to be rolled back by SQLite when the connection closes.
                try? execute("ROLLBACK")
            }
            throw error
        }
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}

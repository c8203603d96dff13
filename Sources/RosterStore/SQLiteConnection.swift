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

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the latest INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: - Transactions

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

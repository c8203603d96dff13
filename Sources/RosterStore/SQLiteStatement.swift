import CSQLite

/// Owns one prepared `sqlite3_stmt*`. Values are only ever bound, never spliced into the SQL.
final class SQLiteStatement {
    private let handle: OpaquePointer
    /// Kept so the connection outlives its statements and error messages can be read from it.
    private let connection: SQLiteConnection
    let sql: String
    /// The values of the current execution when given as `SQLiteValue`s, kept for their buffers.
    private var scratch = SQLiteBindings()

    init(connection: SQLiteConnection, sql: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(
            connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw SQLiteError(code: code, operation: "prepare", sql: sql, connection: connection.handle)
        }
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Running

    /// Binds `values` and runs the statement to completion (INSERT, UPDATE, DELETE).
    func execute(_ values: [SQLiteValue] = []) throws {
        try withBindings(values) {
            while try step() {}
        }
    }

    /// Binds `bindings` and runs the statement to completion.
    func execute(_ bindings: SQLiteBindings) throws {
        try withBindings(bindings) {
            while try step() {}
        }
    }

    /// Binds `values` and calls `row` for each result row.
    func query(_ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> Void) throws {
        try withBindings(values) {
            while try step() {
                try row(self)
            }
        }
    }

    private func withBindings(_ values: [SQLiteValue], _ body: () throws -> Void) throws {
        scratch.removeAll()
        for value in values { scratch.append(value) }
        try withBindings(scratch, body)
    }

    /// Runs `body` with `bindings` bound: every parameter, each replacing its last value. SQLite
    /// reads each text where `bindings` holds it (SQLITE_STATIC) instead of copying it into a
    /// block of its own; the statement is reset and its bindings cleared before those bytes go.
    private func withBindings(_ bindings: SQLiteBindings, _ body: () throws -> Void) throws {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard bindings.count == expected else {
            throw SQLiteError(
                code: SQLITE_RANGE, operation: "bind", sql: sql,
                message: "\(bindings.count) values for \(expected) parameters")
        }
        try bindings.bytes.withUnsafeBufferPointer { buffer in
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            // A non-null pointer even for no bytes at all: an empty string binds '' rather than NULL.
            let start = UnsafeRawPointer(buffer.baseAddress ?? Self.noBytes.utf8Start)
            for (position, slot) in bindings.slots.enumerated() {
                let index = Int32(position + 1)
                let code: Int32
                switch slot {
                case .null:
                    code = sqlite3_bind_null(handle, index)
                case .integer(let integer):
                    code = sqlite3_bind_int64(handle, index, integer)
                case .text(let offset, let count):
                    code = sqlite3_bind_text(
                        handle, index, (start + offset).assumingMemoryBound(to: CChar.self), Int32(count),
                        roster_sqlite_static())
                }
                guard code == SQLITE_OK else {
                    throw SQLiteError(code: code, operation: "bind", sql: sql, connection: connection.handle)
                }
            }
            try body()
        }
    }

    private static let noBytes: StaticString = ""

    /// True when a row is available, false when the statement is done.
    private func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError(code: code, operation: "step", sql: sql, connection: connection.handle)
        }
    }

    // MARK: - Columns of the current row

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    /// The column as text; nil only for SQL NULL.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column's text as SQLite holds it, valid only inside `body` (empty for SQL NULL): for a
    /// column parsed into other values, without a `String` of the whole of it first.
    func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let bytes = sqlite3_column_text(handle, column) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}

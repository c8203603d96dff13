import CSQLite

/// A failed SQLite call: the result code, what was being done, and SQLite's own explanation.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`…); its low byte is the primary code.
    public var code: Int32
    /// The call or step that failed: `open`, `prepare`, `step`, `bind`, `exec`.
    public var operation: String
    /// The statement involved, if any (its text only; bound values are never included).
    public var sql: String?
    /// `sqlite3_errmsg` at the time of the failure, or `sqlite3_errstr` when there was no connection.
    public var message: String

    public init(code: Int32, operation: String, sql: String? = nil, message: String) {
        self.code = code
        self.operation = operation
        self.sql = sql
        self.message = message
    }

    /// Reads the message for `code` from `connection` (nil when opening failed before one existed).
    init(code: Int32, operation: String, sql: String? = nil, connection: OpaquePointer?) {
        let message: String
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else {
            message = Self.text(for: code)
        }
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        // sqlite3_extended_errcode reports the latest failure; keep it only when it refines `code`.
        self.init(
            code: extended & 0xff == code & 0xff ? extended : code, operation: operation, sql: sql, message: message)
    }

    public var primaryCode: Int32 { code & 0xff }

    /// A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint refused the change.
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// SQLITE_CONSTRAINT_UNIQUE (`SQLITE_CONSTRAINT | 8 << 8`): typically an email or username already in use.
    public var isUniqueViolation: Bool { code == SQLITE_CONSTRAINT | 8 << 8 }

    /// Another connection held the lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite \(operation) failed: \(message) (\(Self.text(for: code)), code \(code))"
        if let sql { text += " in: \(sql)" }
        return text
    }

    static func text(for code: Int32) -> String {
        sqlite3_errstr(code).map { String(cString: $0) } ?? "unknown error"
    }
}

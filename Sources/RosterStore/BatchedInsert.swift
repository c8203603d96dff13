/// Rows for one table, inserted several to a statement (`INSERT … VALUES (…), (…), …`).
///
/// SQLite's cost per executed statement, not per row, dominates a first sync: one statement a
/// row for 300,000 assignments took three times as long as 32 rows a statement. Rows are only
/// buffered: the caller flushes before anything reads the table, and an error still fails the
/// whole transaction, so what is written is the same.
struct BatchedInsert {
    private let database: DirectoryDatabase
    /// `INSERT INTO table (columns) VALUES `, a constant of this module.
    private let prefix: String
    /// `(?, ?, …)`: one row's placeholders.
    private let placeholders: String
    /// What follows the rows (an `ON CONFLICT` clause), or nothing.
    private let suffix: String
    /// The statement of a full batch, composed once: it runs for all but the last rows.
    private let fullBatchSQL: String
    private let columnCount: Int
    private let rowsPerStatement: Int
    private var pending: [SQLiteValue] = []

    /// - Parameters:
    ///   - insert: `INSERT INTO table (columns)` naming `columnCount` columns.
    ///   - suffix: an `ON CONFLICT` clause, applied to each row as a statement of one would.
    init(
        _ database: DirectoryDatabase, _ insert: String, columnCount: Int, suffix: String = "",
        rowsPerStatement: Int = 32
    ) {
        self.database = database
        prefix = insert + " VALUES "
        self.suffix = suffix.isEmpty ? "" : " " + suffix
        placeholders = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
        self.columnCount = columnCount
        self.rowsPerStatement = rowsPerStatement
        fullBatchSQL = Self.sql(prefix, placeholders, suffix, rows: rowsPerStatement)
        pending.reserveCapacity(columnCount * rowsPerStatement)
    }

    /// Whether no row waits for a flush.
    var isEmpty: Bool { pending.isEmpty }

    mutating func add(_ row: [SQLiteValue]) throws {
        precondition(row.count == columnCount, "a row of \(row.count) values for \(columnCount) columns")
        pending.append(contentsOf: row)
        if pending.count == columnCount * rowsPerStatement { try flush() }
    }

    /// Writes the buffered rows; a final partial batch gets a statement of its own size (prepared
    /// once and cached like every other).
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending.count / columnCount
        let sql = rows == rowsPerStatement ? fullBatchSQL : Self.sql(prefix, placeholders, suffix, rows: rows)
        try database.statement(sql).execute(pending)
        pending.removeAll(keepingCapacity: true)
    }

    private static func sql(_ prefix: String, _ placeholders: String, _ suffix: String, rows: Int) -> String {
        prefix + Array(repeating: placeholders, count: rows).joined(separator: ", ") + suffix
    }
}

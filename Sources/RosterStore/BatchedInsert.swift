/// Rows for one table, inserted several to a statement (`INSERT … VALUES (…), (…), …`).
///
/// SQLite's cost per executed statement, not per row, dominates a first sync: one statement a
/// row for 300,000 assignments took three times as long as 32 rows a statement, and 128 rows
/// write a first sync's changes with 6% fewer instructions than 32 (more gain next to nothing).
/// Rows are only buffered: the caller flushes before anything reads the table, and an error
/// still fails the whole transaction, so what is written is the same.
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
    /// Its prepared statement, once asked for: looked up by its SQL text, a full batch would
    /// hash kilobytes of text at every flush.
    private var fullBatchStatement: SQLiteStatement?
    private let columnCount: Int
    private let rowsPerStatement: Int
    /// The values of the rows waiting, as they will be bound.
    private var pending = SQLiteBindings()

    /// - Parameters:
    ///   - insert: `INSERT INTO table (columns)` naming `columnCount` columns.
    ///   - suffix: an `ON CONFLICT` clause, applied to each row as a statement of one would.
    ///   - rowsPerStatement: at most; fewer when the rows' values would pass SQLite's limit on a
    ///     statement's parameters (32,766 since SQLite 3.32, 999 before).
    init(
        _ database: DirectoryDatabase, _ insert: String, columnCount: Int, suffix: String = "",
        rowsPerStatement: Int = 128
    ) {
        self.database = database
        prefix = insert + " VALUES "
        self.suffix = suffix.isEmpty ? "" : " " + suffix
        placeholders = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
        self.columnCount = columnCount
        let rowsPerStatement = max(1, min(rowsPerStatement, database.connection.parameterLimit / columnCount))
        self.rowsPerStatement = rowsPerStatement
        fullBatchSQL = Self.sql(prefix, placeholders, suffix, rows: rowsPerStatement)
    }

    /// Whether no row waits for a flush.
    var isEmpty: Bool { pending.count == 0 }

    /// Adds a row, its values added by `values` in the columns' order.
    mutating func addRow(_ values: (inout SQLiteBindings) -> Void) throws {
        let before = pending.count
        values(&pending)
        precondition(
            pending.count - before == columnCount,
            "a row of \(pending.count - before) values for \(columnCount) columns")
        if pending.count == columnCount * rowsPerStatement { try flush() }
    }

    /// Writes the buffered rows; a final partial batch gets a statement of its own size (prepared
    /// once and cached like every other).
    mutating func flush() throws {
        guard pending.count > 0 else { return }
        let rows = pending.count / columnCount
        let statement: SQLiteStatement
        if rows == rowsPerStatement {
            statement = try fullBatchStatement ?? database.statement(fullBatchSQL)
            fullBatchStatement = statement
        } else {
            statement = try database.statement(Self.sql(prefix, placeholders, suffix, rows: rows))
        }
        try statement.execute(pending)
        pending.removeAll()
    }

    private static func sql(_ prefix: String, _ placeholders: String, _ suffix: String, rows: Int) -> String {
        prefix + Array(repeating: placeholders, count: rows).joined(separator: ", ") + suffix
    }
}

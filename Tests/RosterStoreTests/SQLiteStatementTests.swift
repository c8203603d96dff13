import Foundation
import Testing

@testable import RosterStore

/// Bound values reach SQLite as they are: text read in place from one buffer per execution, an
/// empty string as '' (never NULL), whatever else is bound beside it.
struct SQLiteStatementTests {
    @Test(arguments: [
        [SQLiteValue.text("")],
        [.text(""), .text("")],
        [.text("ann"), .null, .text(""), .integer(42), .text("Ärger ✓")],
        [.integer(-1), .text("x"), .null],
    ])
    func valuesComeBackAsBound(values: [SQLiteValue]) throws {
        try withDatabase { database, _ in
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            let select = try database.connection.prepare("SELECT " + placeholders)
            var read: [SQLiteValue] = []
            // Twice: the second execution's bytes replace the first's.
            for _ in 0..<2 {
                try select.query(values) { row in
                    read = values.indices.map { column in
                        if row.isNull(Int32(column)) { return .null }
                        if case .integer = values[column] { return .integer(row.int64(Int32(column))) }
                        return .text(row.text(Int32(column)) ?? "<nil>")
                    }
                }
                #expect(read == values)
            }
        }
    }
}

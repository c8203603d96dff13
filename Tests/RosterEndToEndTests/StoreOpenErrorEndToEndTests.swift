import Foundation
import Testing

/// A directory the binary cannot open is reported in one sentence that names the file once and
/// says what to do.
struct StoreOpenErrorEndToEndTests {
    @Test func aDirectoryFromANewerRosterIsNamedOnceWithTheFix() throws {
        let demo = try DemoWorkspace()
        defer { demo.remove() }
        #expect(try demo.run(["reconcile"]).exitCode == 0)
        try RawSQLite.execute("PRAGMA user_version = 99", on: demo.database.path)

        let outcome = try demo.run(["users", "list"])
        #expect(outcome.exitCode == 1)
        let message = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.contains("has schema version 99"), "\(message)")
        #expect(message.contains("upgrade roster or restore a matching backup"), "\(message)")
        #expect(message.components(separatedBy: demo.database.path).count == 2, "the path once: \(message)")
        #expect(!message.contains("\n"), "one sentence: \(message)")
    }
}

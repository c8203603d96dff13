import Foundation
import RosterTestSupport

/// A throwaway copy of the demo (config/demo) in a temp folder, laid out as in the repository so
/// that the demo's relative paths work with the folder as working directory.
struct DemoWorkspace {
    let root: URL
    let roster: RosterBinary

    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-e2e-\(UUID().uuidString)")
        let demo = root.appendingPathComponent("config/demo")
        try FileManager.default.createDirectory(at: demo.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("config/demo"), to: demo)
        roster = RosterBinary(workingDirectory: root)
    }

    var ldif: URL { root.appendingPathComponent("config/demo/directory.ldif") }
    var config: URL { root.appendingPathComponent("config/demo/roster.yaml") }
    var database: URL { root.appendingPathComponent("roster-demo/roster.db") }
    var auditMirror: URL { root.appendingPathComponent("roster-demo/audit.jsonl") }

    /// Runs `roster --config <demo config> ARGS…`.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> RosterBinary.Outcome {
        try roster.run(["--config", config.path] + arguments, stdin: stdin)
    }

    func readLDIF() throws -> String { try String(contentsOf: ldif, encoding: .utf8) }

    func writeLDIF(_ text: String) throws { try text.write(to: ldif, atomically: true, encoding: .utf8) }

    /// The LDIF without the entry whose DN starts with `rdn` (and without that DN in member lists).
    func removingEntry(_ rdn: String, from text: String) -> String {
        let records = text.components(separatedBy: "\n\n")
        let kept = records.filter { record in
            !record.split(separator: "\n").contains { $0.lowercased().hasPrefix("dn: \(rdn.lowercased()),") }
        }
        return kept.map { record in
            record.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.lowercased().hasPrefix("member: \(rdn.lowercased()),") }
                .joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    func usersJSON() throws -> [[String: Any]] {
        let outcome = try run(["users", "list", "--all", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return object?["users"] as? [[String: Any]] ?? []
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

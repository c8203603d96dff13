import Foundation
import RosterTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers for the admin command tests: a reconciled demo, JSON output, the acting CLI user.
extension DemoWorkspace {
    /// A demo workspace after one reconcile: the 52 people of config/demo in the directory.
    static func reconciled() throws -> DemoWorkspace {
        let demo = try DemoWorkspace()
        let outcome = try demo.run(["reconcile"])
        guard outcome.exitCode == 0 else {
            demo.remove()
            throw RosterBinary.Failure(description: "the first reconcile failed: \(outcome.stderr)")
        }
        return demo
    }

    /// Runs a command with `--format json` and parses its output as one object.
    func json(_ arguments: [String]) throws -> [String: Any] {
        let outcome = try run(arguments + ["--format", "json"])
        guard outcome.exitCode == 0,
            let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        else {
            throw RosterBinary.Failure(
                description: "\(arguments.joined(separator: " ")) exited \(outcome.exitCode): \(outcome.stderr)")
        }
        return object
    }

    /// `users show USER --format json`.
    func user(_ reference: String) throws -> [String: Any] {
        try json(["users", "show", reference])
    }

    /// The audit records with `action`, as JSON objects.
    func auditRecords(action: String) throws -> [[String: Any]] {
        let outcome = try run(["audit", "list", "--action", action, "--format", "json"])
        return (try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    /// `actor` of records written by this process's user through the CLI.
    static var cliActor: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return "cli:" + String(cString: name) }
        return "cli:\(geteuid())"
    }
}

extension RosterBinary {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}

/// Role names of a USER object, and its project and group roles by name.
extension Dictionary where Key == String, Value == Any {
    var roles: [String] { self["roles"] as? [String] ?? [] }

    func membership(_ key: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in self[key] as? [[String: Any]] ?? [] {
            if let name = item["name"] as? String, let role = item["role"] as? String { result[name] = role }
        }
        return result
    }

    var assignmentOrigins: [String] {
        (self["assignments"] as? [[String: Any]] ?? []).compactMap { $0["origin"] as? String }
    }
}

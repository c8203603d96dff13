import Foundation

/// The header line of one source in `roster reconcile` output.
public struct SourceReadSummary: Sendable {
    public var source: String
    public var users: Int
    public var groups: Int
    public var complete: Bool
    public var problem: String?
    public var seconds: Double
    /// The changes an incremental read merged in; nil for a full read.
    public var incremental: SourceChanges?

    public init(_ snapshot: SourceSnapshot) {
        source = snapshot.source
        users = snapshot.users.count
        groups = snapshot.groups.count
        complete = snapshot.complete
        problem = snapshot.problem
        seconds = snapshot.readSeconds
        incremental = snapshot.incremental
    }

    public var line: String {
        let time = String(format: "%.2f", seconds)
        if complete, let incremental {
            return "\(source): \(users) users, \(groups) groups; incremental read in \(time) s: \(incremental.summary)"
        }
        if complete { return "\(source): \(users) users, \(groups) groups read in \(time) s" }
        return "\(source): INCOMPLETE after \(time) s: \(problem ?? "unknown problem"); frozen"
    }

    public var json: JSONValue {
        .object([
            "source": .string(source), "users": .int(Int64(users)), "groups": .int(Int64(groups)),
            "complete": .bool(complete), "problem": .optional(problem), "seconds": .double(seconds),
            "read": .string(incremental == nil ? "full" : "incremental"),
        ])
    }
}

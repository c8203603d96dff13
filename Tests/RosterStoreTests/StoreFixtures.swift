import Foundation
import RosterCore

@testable import RosterStore

/// A folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "roster-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Opens a fresh database (and mirror path) in a temporary folder for the duration of `body`.
func withDatabase<T>(
    mirror: Bool = false, _ body: (DirectoryDatabase, TemporaryFolder) throws -> T
) throws -> T {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let database = try DirectoryDatabase.open(
        path: folder.path + "/db/roster.db", auditMirror: mirror ? folder.path + "/log/audit.jsonl" : nil)
    return try body(database, folder)
}

enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func newUser(_ name: String, email: String? = nil, source: String = "corp") -> DirectoryUser {
        DirectoryUser(
            id: 0, username: name, email: email ?? "\(name)@example.com", firstName: name.capitalized,
            lastName: "Example", type: .user, status: .active, origin: source,
            identities: [
                ExternalIdentity(
                    source: source, externalID: "uuid-\(name)", dn: "uid=\(name),ou=people,dc=example,dc=com")
            ],
            assignments: [
                .role("viewer", origin: .mapping(id: "defaults", source: source)),
                .group("team-ml", role: .member, origin: .mapping(id: "teams", source: source)),
                .project("apollo", role: .owner, origin: .manual),
            ])
    }

    static func create(_ user: DirectoryUser) -> (change: UserChange, events: [AuditEvent]) {
        let change = UserChange(action: .create, before: nil, after: user, source: user.origin, mappings: ["teams"])
        return (change, [event("user.create", userID: 0, email: user.email)])
    }

    static func change(_ action: UserChange.Action, from before: DirectoryUser, to after: DirectoryUser)
        -> (change: UserChange, events: [AuditEvent])
    {
        let change = UserChange(action: action, before: before, after: after, source: "corp", mappings: [])
        return (change, [event("user.\(action.rawValue)", userID: after.id, email: after.email)])
    }

    static func event(_ action: String, userID: Int64? = nil, email: String? = nil) -> AuditEvent {
        AuditEvent(
            action: action, actor: "sync", userID: userID, email: email,
            changes: .object(["status": .array([.null, .string("active")])]),
            reason: .object(["source": .string("corp"), "mappings": .strings(["teams"])]))
    }

    static func batch(
        _ changes: [(change: UserChange, events: [AuditEvent])], run: String? = "run-1", now: Date = now
    ) -> ApplyBatch {
        ApplyBatch(
            runID: run, leading: [event("run.start")], changes: changes, trailing: [event("run.finish")], now: now,
            summary: "\(changes.count) changed")
    }
}

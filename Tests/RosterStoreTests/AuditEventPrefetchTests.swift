import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// Events built on another thread come back exactly as built in place, in order, whatever the
/// chunk size against the number of changes.
struct AuditEventPrefetchTests {
    static func change(_ index: Int) -> UserChange {
        UserChange(
            action: .create, before: nil,
            after: DirectoryUser(id: 0, username: "u\(index)", email: "u\(index)@example.com"), source: "corp",
            mappings: [])
    }

    static let build: @Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent] = { change in
        // A change may have none, one or several records.
        let count = Int(change.after.username.dropFirst())! % 3
        return (0..<count).map {
            let event = AuditEvent(action: "user.update", actor: "sync", email: change.after.email + "#\($0)")
            return (event, PrewrittenJSON(event))
        }
    }

    @Test(arguments: [1, 7, 256, 1000])
    func eventsComeInOrderAsBuiltInPlace(chunkSize: Int) {
        let changes = (0..<600).map(Self.change)
        var prefetch = AuditEventPrefetch(changes: changes, chunkSize: chunkSize, build: Self.build)
        for (position, change) in changes.enumerated() {
            let prefetched = prefetch.events(at: position)
            #expect(prefetched.map(\.event) == Self.build(change).map(\.event))
            #expect(prefetched.allSatisfy { $0.prewritten != nil })
        }
    }

    @Test func aBatchWithoutChangesBuildsNothing() {
        _ = AuditEventPrefetch(
            changes: [],
            build: { _ in
                Issue.record("built events for no change")
                return []
            })
    }
}

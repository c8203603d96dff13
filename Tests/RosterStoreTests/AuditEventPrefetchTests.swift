import Foundation
import RosterCore
import RosterCrypto
import Testing

@testable import RosterStore

/// Records built and chained on another thread come back exactly as chaining them in place
/// gives, in order, whatever the chunk size against the number of changes.
struct AuditEventPrefetchTests {
    /// Every third change updates an existing user (id 5000 + index); the others create one.
    static func change(_ index: Int) -> UserChange {
        let updates = index % 3 == 2
        let user = DirectoryUser(
            id: updates ? 5000 + Int64(index) : 0, username: "u\(index)", email: "u\(index)@example.com")
        return UserChange(
            action: updates ? .update : .create, before: updates ? user : nil, after: user, source: "corp",
            mappings: [])
    }

    static let build: @Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent] = { change in
        // A change may have none, one or several records; those naming user 0 name its user.
        let count = Int(change.after.username.dropFirst())! % 4
        return (0..<count).map {
            let event = AuditEvent(
                action: "user.update", actor: "sync", userID: $0 == 0 ? 0 : nil, email: change.after.email + "#\($0)",
                changes: .object(["n": .int(Int64($0))]))
            return (event, PrewrittenJSON(event))
        }
    }

    static let start = AuditLink(seq: 41, hash: String(repeating: "a", count: 64))

    @Test(arguments: [1, 7, 256, 1000])
    func recordsComeInOrderAsChainedInPlace(chunkSize: Int) throws {
        let changes = (0..<600).map(Self.change)
        var prefetch = AuditEventPrefetch(
            changes: changes, after: Self.start, nextUserID: 100, time: "2026-12-06T10:00:00.000Z", runID: "r1",
            chunkSize: chunkSize, build: Self.build)
        let hasher = try SHA256Hasher()
        var link = Self.start
        var nextUserID: Int64 = 100
        for (position, change) in changes.enumerated() {
            let prepared = try prefetch.records(at: position)
            let userID = change.action == .create ? nextUserID : change.after.id
            #expect(prepared.newUserID == (change.action == .create ? nextUserID : nil))
            if change.action == .create { nextUserID += 1 }
            let expected = Self.build(change).map { written in
                var event = written.event
                if event.userID == 0 { event.userID = userID }
                let record = PreparedAuditRecord(
                    event, prewritten: nil, after: link, time: "2026-12-06T10:00:00.000Z", runID: "r1", hasher: hasher)
                link = record.link
                return record
            }
            #expect(prepared.records.map(\.document) == expected.map(\.document))
            #expect(prepared.records.map(\.record) == expected.map(\.record))
        }
        #expect(link.seq > Self.start.seq + 600)
    }

    @Test func recordsAskedForOutOfOrderAreRefused() throws {
        var prefetch = AuditEventPrefetch(
            changes: (0..<10).map(Self.change), after: Self.start, nextUserID: 1, time: "2026-12-06T10:00:00.000Z",
            runID: nil, chunkSize: 2, build: Self.build)
        _ = try prefetch.records(at: 0)
        #expect(throws: StoreError.self) { try prefetch.records(at: 5) }
    }

    @Test func aBatchWithoutChangesBuildsNothing() {
        _ = AuditEventPrefetch(
            changes: [], after: Self.start, nextUserID: 1, time: "2026-12-06T10:00:00.000Z", runID: nil,
            build: { _ in
                Issue.record("built events for no change")
                return []
            })
    }
}

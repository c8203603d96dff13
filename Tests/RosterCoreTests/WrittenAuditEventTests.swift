import Foundation
import Testing

@testable import RosterCore

/// A change's events written straight to canonical JSON (`writtenEvents`) make the very records
/// its events built as values (`events`) make: every stored hash depends on those bytes.
struct WrittenAuditEventTests {
    static let ml = AssignmentOrigin.mapping(id: "ml", source: "corp")

    static let creations: [UserChange] = [
        // Every kind of grant, repeats, a role on a project, several identities out of order.
        UserChange(
            action: .create, before: nil,
            after: DirectoryUser(
                id: 0, username: "ann", email: "Ann@Example.com", firstName: "Ann", lastName: "Lee", type: .admin,
                identities: [
                    ExternalIdentity(source: "corp", externalID: "42", dn: "uid=ann,ou=people,dc=corp"),
                    ExternalIdentity(source: "ad", externalID: "S-1-5-21-7"),
                ],
                assignments: [
                    .role("viewer", origin: ml), .role("admin", origin: ml), .role("viewer", origin: .manual),
                    .role("editor", project: "vision", origin: ml), .group("ml", role: .admin, origin: ml),
                    .group("data", role: .member, origin: ml), .project("vision", role: .owner, origin: ml),
                ]),
            source: "corp", mappings: ["ml", "defaults"], note: "first seen",
            chains: ["ann ← cn=ml → mapping ml", "ann → defaults"]),
        // Text that must be escaped, non-ASCII text, empty names, no grant and no reason.
        UserChange(
            action: .create, before: nil,
            after: DirectoryUser(
                id: 0, username: "bö\"b\\", email: "bob@example.com", firstName: "", lastName: "Ärger\n\u{1}",
                status: .inactive),
            source: nil, mappings: []),
        // Only a source; groups without roles.
        UserChange(
            action: .create, before: nil,
            after: DirectoryUser(
                id: 0, username: "cy", email: "cy@example.com",
                assignments: [.group("z", role: .member, origin: ml), .group("a", role: .member, origin: ml)]),
            source: "corp", mappings: []),
    ]

    static func record(_ event: AuditEvent, _ prewritten: PrewrittenJSON?) -> [UInt8] {
        let record = AuditRecord(
            seq: 9, time: "2026-12-06T10:00:00.000Z", run: "r1", actor: event.actor, action: event.action,
            userID: 5, email: event.email, changes: event.changes, reason: event.reason,
            prev: AuditRecord.genesisHash, hash: "")
        return record.canonicalForm(prewritten: prewritten).hashed
    }

    @Test(arguments: creations)
    func aCreationWrittenStraightGivesTheRecordOfItsValues(change: UserChange) {
        let built = AuditEventBuilder.events(for: change, actor: "sync")
        let written = AuditEventBuilder.writtenEvents(for: change, actor: "sync")
        #expect(written.count == 1 && built.count == 1)
        guard let (event, prewritten) = written.first, let expected = built.first else { return }
        // The values are not built, only their bytes.
        #expect(event.changes == nil && event.reason == nil && prewritten != nil)
        #expect(event.action == expected.action && event.email == expected.email && event.userID == expected.userID)
        let bytes = Self.record(event, prewritten)
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: Self.record(expected, nil), as: UTF8.self))
    }

    @Test func otherChangesKeepTheirValuesBesideTheirBytes() {
        let before = DirectoryUser(
            id: 3, username: "dee", email: "dee@example.com", assignments: [.role("viewer", origin: Self.ml)])
        var after = before
        after.firstName = "Dee"
        after.assignments = [.role("admin", origin: Self.ml)]
        let change = UserChange(action: .update, before: before, after: after, source: "corp", mappings: ["ml"])
        let built = AuditEventBuilder.events(for: change, actor: "sync")
        let written = AuditEventBuilder.writtenEvents(for: change, actor: "sync")
        #expect(written.map(\.event) == built)
        #expect(written.count == 3)
        for ((event, prewritten), expected) in zip(written, built) {
            #expect(Self.record(event, prewritten) == Self.record(expected, nil))
        }
    }
}

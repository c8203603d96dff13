import Foundation
import Testing

@testable import RosterCore

/// A record's `changes` and `reason` written ahead (on another thread) give the bytes written in place.
struct PrewrittenJSONTests {
    static let events = [
        AuditEvent(action: "run.start", actor: "sync"),
        AuditEvent(
            action: "user.create", actor: "sync", userID: 7, email: "ann@example.com",
            changes: .object([
                "email": .array([.null, .string("ann@example.com")]),
                "roles": .object(["added": .strings(["admin", "Ärger \"quoted\""]), "removed": .array([])]),
            ]),
            reason: .object(["chains": .strings(["ann ← cn=ml → mapping ml"]), "source": .string("corp")])),
        AuditEvent(action: "config.load", actor: "sync", changes: .object(["sha256": .string("ab")])),
    ]

    @Test(arguments: events)
    func prewrittenPartsGiveTheSameRecord(event: AuditEvent) throws {
        let record = AuditRecord(
            seq: 3, time: "2026-11-22T11:00:00.000Z", run: "r1", actor: event.actor, action: event.action,
            userID: event.userID, email: event.email, changes: event.changes, reason: event.reason,
            prev: AuditRecord.genesisHash, hash: "")
        let prewritten = try #require(PrewrittenJSON(event))
        let inPlace = record.canonicalForm()
        let ahead = record.canonicalForm(prewritten: prewritten)
        #expect(ahead.hashed == inPlace.hashed && ahead.hashOffset == inPlace.hashOffset)
        #expect(inPlace.hashed == record.json(includingHash: false).canonicalBytes)
    }

    @Test func aValueWithoutAJSONFormIsNotWrittenAhead() {
        #expect(PrewrittenJSON(AuditEvent(action: "x", actor: "sync", reason: .double(.nan))) == nil)
    }
}

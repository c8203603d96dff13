import Foundation
import RosterCore
import RosterCrypto
import Testing

@testable import RosterStore

struct AuditLogTests {
    /// Two runs: 3 + 2 + 2 records (run.start, the changes', run.finish).
    private func populate(_ database: DirectoryDatabase) throws -> [AuditRecord] {
        let first = try database.apply(
            Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(Fixtures.newUser("bob"))]))
        let bob = first.users[1]
        var inactive = bob
        inactive.status = .inactive
        let second = try database.apply(
            Fixtures.batch(
                [Fixtures.change(.deactivate, from: bob, to: inactive)], run: "run-2",
                now: Fixtures.now.addingTimeInterval(3600)))
        return first.records + second.records
    }

    @Test func recordsFormAContiguousHashChain() throws {
        try withDatabase { database, _ in
            let records = try populate(database)
            #expect(records.map(\.seq) == Array(1...7))
            #expect(
                records.map(\.action) == [
                    "run.start", "user.create", "user.create", "run.finish", "run.start", "user.deactivate",
                    "run.finish",
                ])
            #expect(records[0].prev == AuditRecord.genesisHash)
            for (previous, record) in zip(records, records.dropFirst()) {
                #expect(record.prev == previous.hash)
            }
            for record in records {
                #expect(record.hash == SHA256.hex(record.hashedBytes))
            }
            // Events of a create with userID 0 name the new user.
            #expect(records[1].userID == 1 && records[2].userID == 2)
            #expect(records[0].time == "2026-11-18T11:06:40.000Z" && records[0].run == "run-1")

            #expect(try database.auditRecords() == records)
            #expect(try database.verifyAudit() == .valid(count: 7))
        }
    }

    @Test func storedDocumentIsTheCanonicalRecord() throws {
        try withDatabase { database, _ in
            let records = try populate(database)
            var document: String?
            try database.connection.prepare("SELECT document FROM audit WHERE seq = 2").query { document = $0.text(0) }
            #expect(document == records[1].json().canonicalString)
            #expect(document?.contains("\"hash\":\"\(records[1].hash)\"") == true)
        }
    }

    @Test func editedDocumentIsNamedBySeq() throws {
        try withDatabase { database, _ in
            _ = try populate(database)
            try database.connection.execute(
                "UPDATE audit SET document = replace(document, 'bob@example.com', 'eve@example.com') WHERE seq = 3")
            guard case .broken(let seq, let reason) = try database.verifyAudit() else {
                Issue.record("an edited document verified")
                return
            }
            #expect(seq == 3)
            #expect(reason.contains("hash"))
        }
    }

    @Test func editedHashIsNamedBySeq() throws {
        try withDatabase { database, _ in
            let records = try populate(database)
            let forged = String(repeating: "f", count: 64)
            try database.connection.execute(
                "UPDATE audit SET document = replace(document, '\(records[4].hash)', '\(forged)'), hash = '\(forged)' "
                    + "WHERE seq = 5")
            #expect(try database.verifyAudit().brokenSeq == 5)
        }
    }

    @Test func deletedRecordsAreDetected() throws {
        try withDatabase { database, _ in
            _ = try populate(database)
            try database.connection.execute("DELETE FROM audit WHERE seq = 4")
            #expect(try database.verifyAudit().brokenSeq == 5)
        }
        try withDatabase { database, _ in
            _ = try populate(database)
            try database.connection.execute("DELETE FROM audit WHERE seq = 1")
            #expect(try database.verifyAudit().brokenSeq == 2)
        }
        try withDatabase { database, _ in
            _ = try populate(database)
            try database.connection.execute("DELETE FROM audit WHERE seq >= 6")
            #expect(try database.verifyAudit().brokenSeq == 6)
        }
    }

    @Test func columnsThatDisagreeWithTheirDocumentAreDetected() throws {
        try withDatabase { database, _ in
            _ = try populate(database)
            try database.connection.execute("UPDATE audit SET action = 'config.load' WHERE seq = 6")
            guard case .broken(let seq, let reason) = try database.verifyAudit() else {
                Issue.record("an edited column verified")
                return
            }
            #expect(seq == 6)
            #expect(reason.contains("action"))
        }
    }

    @Test func verificationContinuesAcrossPages() throws {
        try withDatabase { database, _ in
            let events = (0..<25).map { Fixtures.event("config.load", email: "n\($0)@example.com") }
            _ = try database.appendAudit(events, runID: nil, now: Fixtures.now)
            #expect(try database.verifyAudit(pageSize: 10) == .valid(count: 25))
            // The first record of the second page: its link to the first page is what is checked.
            try database.connection.execute(
                "UPDATE audit SET document = replace(document, 'config.load', 'config.lode') WHERE seq = 11")
            #expect(try database.verifyAudit(pageSize: 10).brokenSeq == 11)
            #expect(try database.verifyAudit(pageSize: 7).brokenSeq == 11)
        }
    }

    @Test func filtersRunInSQL() throws {
        try withDatabase { database, _ in
            let records = try populate(database)
            #expect(try database.auditRecords(AuditFilter(action: "user.create")).map(\.seq) == [2, 3])
            #expect(try database.auditRecords(AuditFilter(userID: 2)).map(\.seq) == [3, 6])
            #expect(try database.auditRecords(AuditFilter(email: "BOB@example.com")).map(\.seq) == [3, 6])
            #expect(try database.auditRecords(AuditFilter(run: "run-2")).map(\.seq) == [5, 6, 7])
            #expect(try database.auditRecords(AuditFilter(limit: 2)).map(\.seq) == [6, 7])
            let later = Fixtures.now.addingTimeInterval(1800)
            #expect(try database.auditRecords(AuditFilter(since: later)).map(\.seq) == [5, 6, 7])
            #expect(try database.auditRecords(AuditFilter(until: later)).map(\.seq) == [1, 2, 3, 4])
            #expect(try database.auditRecords(AuditFilter(until: Fixtures.now)).isEmpty)
            #expect(
                try database.auditRecords(AuditFilter(action: "user.create", run: "run-1")) == [records[1], records[2]])
        }
    }

    @Test func appendAuditWritesItsOwnTransactionAndRun() throws {
        try withDatabase { database, _ in
            let run = RunRecord(
                id: "run-9", startedAt: Fixtures.now, finishedAt: Fixtures.now, outcome: "aborted",
                summary: "3 planned deactivations exceed safety.max_deactivations", exitCode: 3)
            let records = try database.appendAudit(
                [Fixtures.event("run.abort")], runID: "run-9", now: Fixtures.now, run: run)
            #expect(records.map(\.seq) == [1])
            #expect(try database.recentRuns() == [run])
            #expect(try database.lastAuditSeq() == 1)
        }
    }
}

extension AuditChain.Verdict {
    var brokenSeq: Int64? {
        if case .broken(let seq, _) = self { return seq }
        return nil
    }
}

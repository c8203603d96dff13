import Foundation
import Testing

@testable import RosterCore

struct AuditChainTests {
    /// Any deterministic digest will do for the chain logic; the store uses SHA-256.
    private func digest(_ data: Data) -> String {
        String(data.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
    }

    private func chain(_ count: Int) -> [AuditRecord] {
        var records: [AuditRecord] = []
        var prev = AuditRecord.genesisHash
        for seq in 1...Int64(count) {
            var record = AuditRecord(
                seq: seq, time: "2026-11-22T11:00:00.000Z", run: "r1", actor: "sync", action: "user.create",
                userID: seq, email: "u\(seq)@example.com", changes: nil, reason: nil, prev: prev, hash: "")
            record.hash = digest(record.hashedBytes)
            prev = record.hash
            records.append(record)
        }
        return records
    }

    @Test func validChainVerifies() {
        #expect(AuditChain.verify(chain(5), digest: digest) == .valid(count: 5))
    }

    @Test func alteredRecordIsNamed() {
        var records = chain(5)
        records[2].email = "mallory@example.com"
        guard case .broken(let seq, _) = AuditChain.verify(records, digest: digest) else {
            Issue.record("tampering not detected")
            return
        }
        #expect(seq == 3)
    }

    @Test func removedRecordIsNamed() {
        var records = chain(5)
        records.remove(at: 1)
        guard case .broken(let seq, _) = AuditChain.verify(records, digest: digest) else {
            Issue.record("removal not detected")
            return
        }
        #expect(seq == 3)
    }

    @Test func recordRoundTripsThroughJSON() {
        let record = chain(1)[0]
        let parsed = AuditRecord(json: try! JSONValue.parse(record.json().canonicalData))
        #expect(parsed == record)
    }
}

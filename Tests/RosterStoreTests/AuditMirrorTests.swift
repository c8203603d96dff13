import Foundation
import RosterCore
import Testing

@testable import RosterStore

struct AuditMirrorTests {
    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    private func seqs(_ path: String) throws -> [Int64] {
        try lines(path).map { line in
            try #require(AuditRecord(json: try JSONValue.parse(Data(line.utf8)))).seq
        }
    }

    @Test func mirrorHasOneLinePerRecord() throws {
        try withDatabase(mirror: true) { database, _ in
            let applied = try database.apply(
                Fixtures.batch([Fixtures.create(Fixtures.newUser("alice")), Fixtures.create(Fixtures.newUser("bob"))]))
            #expect(applied.mirrorWarning == nil)
            let path = try #require(database.auditMirror?.path)
            #expect(try lines(path) == applied.records.map { $0.json().canonicalString })
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o640)

            _ = try database.appendAudit([Fixtures.event("config.load")], runID: nil, now: Fixtures.now)
            #expect(try seqs(path) == Array(1...5))
        }
    }

    @Test func mirrorHealsAfterLosingItsLastLine() throws {
        try withDatabase(mirror: true) { database, _ in
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
            let path = try #require(database.auditMirror?.path)
            let kept = try lines(path).dropLast()
            try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            #expect(try seqs(path) == [1, 2])

            _ = try database.appendAudit([Fixtures.event("config.load")], runID: nil, now: Fixtures.now)
            #expect(try seqs(path) == [1, 2, 3, 4])
            #expect(try database.auditRecords().map { $0.json().canonicalString } == lines(path))
        }
    }

    @Test func mirrorCutsATornLineAndRewritesIt() throws {
        try withDatabase(mirror: true) { database, _ in
            _ = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
            let path = try #require(database.auditMirror?.path)
            let all = try lines(path)
            let torn = all.dropLast().joined(separator: "\n") + "\n" + all.last!.prefix(20)
            try torn.write(toFile: path, atomically: false, encoding: .utf8)

            #expect(database.updateAuditMirror() == nil)
            #expect(try lines(path) == all)
        }
    }

    @Test func aFailingMirrorDoesNotUndoTheCommit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A regular file where the mirror's folder should be: the mirror cannot be created.
        try "".write(toFile: folder.path + "/blocked", atomically: false, encoding: .utf8)
        let database = try DirectoryDatabase.open(
            path: folder.path + "/roster.db", auditMirror: folder.path + "/blocked/audit.jsonl")
        let applied = try database.apply(Fixtures.batch([Fixtures.create(Fixtures.newUser("alice"))]))
        #expect(applied.mirrorWarning?.contains("blocked/audit.jsonl") == true)
        #expect(database.mirrorWarning == applied.mirrorWarning)
        #expect(try database.loadUsers().count == 1)
        #expect(try database.auditRecords().count == 3)
    }

    @Test func aMirrorFromAnotherDatabaseIsLeftAlone() throws {
        try withDatabase(mirror: true) { database, _ in
            let path = try #require(database.auditMirror?.path)
            let foreign = AuditRecord(
                seq: 99, time: "2026-01-01T00:00:00.000Z", run: nil, actor: "sync", action: "run.start", userID: nil,
                email: nil, changes: nil, reason: nil, prev: AuditRecord.genesisHash, hash: "")
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (foreign.json().canonicalString + "\n").write(toFile: path, atomically: false, encoding: .utf8)

            let applied = try database.apply(Fixtures.batch([]))
            #expect(applied.mirrorWarning?.contains("move it aside") == true)
            #expect(try seqs(path) == [99])
        }
    }
}

import Foundation
import RosterCore

/// What the directory was last planned against, as a whole: written by a run that read every
/// configured source completely and applied its plan, in the same transaction. While it holds
/// (no audit record since, same configuration settings, same Roster, caches of the same
/// generation), the next run may plan only the people its changes touch.
public struct PlanCheckpoint: Sendable, Equatable {
    /// The SHA-256 of the settings' canonical text (`RosterConfiguration.canonicalSettings`), or
    /// of the file's bytes for a configuration not read from one.
    public var configSHA256: String
    public var rosterVersion: String
    /// Per source, the generation of its cache (`SourceCacheState.generation`).
    public var caches: [String: String]

    public init(configSHA256: String, rosterVersion: String = RosterVersion.current, caches: [String: String]) {
        self.configSHA256 = configSHA256
        self.rosterVersion = rosterVersion
        self.caches = caches
    }

    var cachesText: String {
        caches.keys.sorted().map { "\($0)=\(caches[$0]!)" }.joined(separator: "\n")
    }

    static func caches(from text: String) -> [String: String] {
        var caches: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.lastIndex(of: "=") else { continue }
            caches[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return caches
    }
}

extension DirectoryDatabase {
    /// The checkpoint, when no audit record was written after it; nil otherwise.
    public func currentPlanCheckpoint() throws -> PlanCheckpoint? {
        var found: (checkpoint: PlanCheckpoint, seq: Int64)?
        try statement("SELECT audit_seq, config_sha256, roster_version, caches FROM plan_checkpoint WHERE id = 1")
            .query { row in
                found = (
                    PlanCheckpoint(
                        configSHA256: row.text(1) ?? "", rosterVersion: row.text(2) ?? "",
                        caches: PlanCheckpoint.caches(from: row.text(3) ?? "")),
                    row.int64(0)
                )
            }
        guard let found else { return nil }
        return try lastAuditSeq() == found.seq ? found.checkpoint : nil
    }

    /// Inside a write transaction, after its audit records: `checkpoint`, or none.
    func writePlanCheckpoint(_ checkpoint: PlanCheckpoint?) throws {
        guard let checkpoint else {
            try statement("DELETE FROM plan_checkpoint").execute()
            return
        }
        try statement(
            """
            INSERT OR REPLACE INTO plan_checkpoint (id, audit_seq, config_sha256, roster_version, caches)
            VALUES (1, ?, ?, ?, ?)
            """
        ).execute([
            .integer(try lastAuditSeq()), .text(checkpoint.configSHA256), .text(checkpoint.rosterVersion),
            .text(checkpoint.cachesText),
        ])
    }
}

import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The optional JSON-lines copy of the audit log (`audit.file`): one record per line, canonical
/// JSON with its hash, exactly as the database stores it.
///
/// The database is authoritative. The mirror is brought up to date after each commit by reading
/// the seq of its last line and appending every record after it, so a crash between a commit and
/// the mirror write is healed by the next write. A line torn by a crash mid-write is cut off and
/// written again.
public struct AuditMirror: Sendable, Hashable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends every record of `database` after the mirror's last one; returns how many were written.
    @discardableResult
    func catchUp(with database: DirectoryDatabase) throws -> Int {
        do {
            try FileSystem.createParentFolder(of: path)
        } catch {
            throw MirrorError(path: path, problem: "cannot create its folder: \(error)")
        }
        let file = try MirrorFile(path: path)
        // Two processes (daemon and CLI) may catch up at once; the lock keeps their lines from doubling.
        try file.lock()
        let mirrored = try lastSeq(in: file)
        let stored = try database.lastAuditSeq()
        guard mirrored <= stored else {
            throw MirrorError(
                path: path,
                problem: "it ends at seq \(mirrored), after the database's last record \(stored); "
                    + "it belongs to another database: move it aside")
        }
        var pending: [UInt8] = []
        var written = 0
        try database.forEachAuditDocument(after: mirrored) { _, document in
            pending += document.utf8
            pending.append(UInt8(ascii: "\n"))
            written += 1
            if pending.count >= 1 << 20 {
                try file.append(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try file.append(pending)
        if written > 0 { try file.sync() }
        return written
    }

    /// The seq of the last complete line, 0 for an empty file; a torn last line is truncated away.
    private func lastSeq(in file: MirrorFile) throws -> Int64 {
        var end = try file.size()
        guard end > 0 else { return 0 }
        if try file.byte(at: end - 1) != UInt8(ascii: "\n") {
            end = try file.lastNewline(before: end).map { $0 + 1 } ?? 0
            try file.truncate(to: end)
            guard end > 0 else { return 0 }
        }
        let start = try file.lastNewline(before: end - 1).map { $0 + 1 } ?? 0
        let line = try file.read(from: start, count: Int(end - 1 - start))
        guard case .int(let seq)? = (try? JSONValue.parse(Data(line)))?["seq"] else {
            throw MirrorError(path: path, problem: "its last line is not an audit record: move it aside")
        }
        return seq
    }
}

/// Why the audit mirror could not be written.
public struct MirrorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String { "\(path): \(problem)" }
}

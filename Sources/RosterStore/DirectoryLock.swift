import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock next to the directory (`roster.db.lock`), so that one run at a time plans
/// and applies against it. Released when the process exits, also after `kill -9` (flock).
public final class DirectoryLock {
    public let path: String
    private let descriptor: Int32

    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var holder: String?
        public var description: String {
            "another roster process\(holder.map { " (pid \($0))" } ?? "") holds the lock \(path); "
                + "wait for it to finish or stop it"
        }
    }

    /// Takes the lock without waiting; throws `Held` naming the holder's pid when it is taken.
    public init(directoryPath: String) throws {
        path = directoryPath + ".lock"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            close(descriptor)
            throw Held(path: path, holder: holder?.isEmpty == false ? holder : nil)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

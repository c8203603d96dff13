import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension DirectoryLock {
    /// Whether this process holds the lock of the directory at `directoryPath` right now.
    ///
    /// Work with effects outside the directory (redeeming OIDC refresh tokens, which an issuer may
    /// rotate) is done only under the lock, so two processes never redeem one token. The lock file
    /// names its holder's pid, and a second `flock` on it fails while anyone holds it.
    public static func isHeldByThisProcess(directoryPath: String) -> Bool {
        let path = directoryPath + ".lock"
        guard let content = try? String(contentsOfFile: path, encoding: .utf8),
            Int32(content.trimmingCharacters(in: .whitespacesAndNewlines)) == getpid()
        else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        // A pid left behind by a process killed with the lock could be ours by reuse: the lock
        // must also really be held (by our other descriptor).
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }
}

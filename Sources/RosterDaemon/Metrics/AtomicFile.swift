import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents atomically: a reader sees the old file or the new one, never half of
/// either (a temporary file in the same folder, synced, then renamed over the target).
public enum AtomicFile {
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw AtomicFileError(path: path, operation: "create \(temporary)") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                unlink(temporary)
                throw AtomicFileError(path: path, operation: "write \(temporary)")
            }
            offset += written
        }
        // The mode is set explicitly: the umask must not make a metrics file unreadable to the scraper.
        _ = fchmod(descriptor, mode)
        guard fsync(descriptor) == 0 else {
            unlink(temporary)
            throw AtomicFileError(path: path, operation: "sync \(temporary)")
        }
        close(descriptor)
        closed = true
        guard rename(temporary, path) == 0 else {
            let failure = AtomicFileError(path: path, operation: "rename \(temporary) to \(path)")
            unlink(temporary)
            throw failure
        }
    }
}

/// Writing a file atomically failed.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String

    init(path: String, operation: String) {
        self.path = path
        self.operation = operation
        reason = String(cString: strerror(errno)).lowercased()
    }

    public var description: String { "cannot write \(path): \(operation): \(reason)" }
}

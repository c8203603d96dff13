import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations the store needs, with errno turned into a sentence.
enum FileSystem {
    /// Creates `path`'s parent folder (and its parents) with mode 0750 when missing.
    static func createParentFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
    }

    /// Creates an empty file with `mode` unless one exists, so that it never starts world-readable.
    static func createFileIfMissing(_ path: String, mode: mode_t) throws {
        let descriptor = Self.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "create \(path)") }
        close(descriptor)
    }

    private static func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
            return Glibc.open(path, flags, mode)
        #else
            return Darwin.open(path, flags, mode)
        #endif
    }
}

/// A failed system call with its `errno` text.
struct POSIXFailure: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    init(operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

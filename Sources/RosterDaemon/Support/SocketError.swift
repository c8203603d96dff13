#if canImport(Glibc)
    import Glibc
#endif

/// A failed socket call, with the operation, the socket's path and the C library's own message.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done: `connect to`, `bind`, `send to`…
    public var operation: String
    public var path: String
    /// `errno` at the failure, or 0 when the problem is not a system call's (a path too long…).
    public var code: Int32
    public var reason: String

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
        reason = String(cString: strerror(code)).lowercased()
    }

    public init(_ operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        code = 0
        self.reason = reason
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }

    /// Nobody listens there: the file is missing, or it is a socket left by a process that is gone.
    public var isNotListening: Bool { code == ENOENT || code == ECONNREFUSED }
}

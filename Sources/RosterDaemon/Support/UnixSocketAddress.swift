#if canImport(Glibc)
    import Glibc
#endif

/// A Unix-domain socket address: a file path, or with a leading `@` a Linux abstract name
/// (what systemd puts in `$NOTIFY_SOCKET` on some systems).
public struct UnixSocketAddress: Sendable, Hashable, CustomStringConvertible {
    public let path: String

    /// The room in `sockaddr_un.sun_path`: 108 bytes on Linux.
    static let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    /// Checks that `path` fits a `sockaddr_un`; throws naming the limit when it does not.
    public init(_ path: String) throws {
        guard !path.isEmpty, path != "@" else {
            throw SocketError("use the socket", path: "\"\(path)\"", reason: "the socket path is empty")
        }
        self.path = path
        // A file path needs its terminating NUL; an abstract name does not (its `@` becomes the leading NUL).
        let limit = isAbstract ? Self.capacity : Self.capacity - 1
        guard path.utf8.count <= limit else {
            throw SocketError(
                "use the socket", path: path,
                reason: "the path is \(path.utf8.count) bytes long and a Unix socket path holds at most \(limit); "
                    + "choose a shorter one")
        }
    }

    /// A name in Linux's abstract namespace: it has no file, hence no permissions.
    public var isAbstract: Bool { path.hasPrefix("@") }

    public var description: String { path }

    /// Calls `body` with the address as a `sockaddr` and its exact length.
    func withSocketAddress<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if isAbstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        // The kernel takes an abstract name's length from the address length, so it must be exact.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = pathOffset + bytes.count + (isAbstract ? 0 : 1)
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) }
        }
    }
}

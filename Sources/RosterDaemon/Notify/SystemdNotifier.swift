import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends `sd_notify` messages to `$NOTIFY_SOCKET`, a Unix datagram socket (abstract names included).
///
/// Without `$NOTIFY_SOCKET` (not started by systemd, or not `Type=notify`) every send does nothing.
/// A failed send is returned, never thrown: telling systemd must not stop the daemon.
public struct SystemdNotifier: Sendable {
    /// Where messages go; nil when notifications are off.
    public let address: UnixSocketAddress?
    /// Why `$NOTIFY_SOCKET` was unusable, for a log line at startup.
    public let problem: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else {
            address = nil
            problem = nil
            return
        }
        do {
            address = try UnixSocketAddress(path)
            problem = nil
        } catch {
            address = nil
            problem = "NOTIFY_SOCKET is unusable: \(error)"
        }
    }

    public var isEnabled: Bool { address != nil }

    /// Sends `message` as one datagram; returns the failure, if any.
    @discardableResult
    public func send(_ message: NotifyMessage) -> SocketError? {
        guard let address else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return SocketError("open a socket for", path: address.path) }
        defer { close(descriptor) }
        let bytes = Array(message.description.utf8)
        let sent = address.withSocketAddress { socketAddress, length in
            bytes.withUnsafeBytes { buffer in
                sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        guard sent == bytes.count else { return SocketError("send to", path: address.path) }
        return nil
    }

    /// The monotonic clock in microseconds, as `MONOTONIC_USEC` wants it.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}

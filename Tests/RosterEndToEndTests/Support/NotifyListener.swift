import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Plays systemd's side of `$NOTIFY_SOCKET`: a Unix datagram socket (a file, or an abstract name
/// when the path starts with `@`) whose messages are collected on a thread of their own.
final class NotifyListener: Sendable {
    let path: String
    private let descriptor: Int32
    private let messages = Mutex<[String]>([])

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if path.hasPrefix("@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(2 + bytes.count + (path.hasPrefix("@") ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["path": path]) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [self] in receiveLoop() }
    }

    /// Every message so far, oldest first.
    var all: [String] { messages.withLock { $0 } }

    /// The first message (after `skipping` earlier ones) that `matches`, waiting up to `timeout`.
    /// Waits with `Task.sleep`: a blocked test thread would be one thread less for everyone.
    func wait(
        for timeout: TimeInterval, after skipping: Int = 0, _ matches: (String) -> Bool
    ) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let found = all.dropFirst(skipping).first(where: matches) { return found }
            try? await Task.sleep(for: .milliseconds(50))
        } while Date() < deadline
        return all.dropFirst(skipping).first(where: matches)
    }

    func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        Glibc.close(descriptor)
        if !path.hasPrefix("@") { unlink(path) }
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let message = String(decoding: buffer[..<count], as: UTF8.self)
                messages.withLock { $0.append(message) }
            } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                continue
            } else {
                return
            }
        }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The control socket: a Unix stream socket (mode 0660) that answers JSON lines with a router.
///
/// Sockets are served on threads of their own rather than on the concurrency pool: a blocking
/// `accept` or `recv` must never hold up a run, nor a busy run hold up `status`.
public final class ControlServer: Sendable {
    public static let maximumConnections = 16
    /// Room for an ID token or two (`oidc.login`), far below what could hurt.
    public static let maximumLineBytes = 1 << 20
    /// A silent client is dropped after this long.
    public static let idleTimeout: Duration = .seconds(60)

    public let path: String
    private let listener: Int32
    /// Written to by `stop()` to wake the accept loop out of `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let router: ControlRouter
    private let logger: DaemonLogger
    private let connections = Mutex(0)

    /// Binds and listens on `path`, replacing a socket file that nobody answers on (left by a
    /// daemon that was killed); refuses a path that another process answers on, or that is not a socket.
    public init(path: String, router: ControlRouter, logger: DaemonLogger) throws {
        let address = try UnixSocketAddress(path)
        guard !address.isAbstract else {
            throw SocketError(
                "listen on", path: path,
                reason: "an abstract socket (@…) has no file permissions; give daemon.control_socket a file path")
        }
        try Self.clearStaleSocket(address)
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750])
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("open a socket for", path: path) }
        // The umask keeps the socket at 0660 or stricter from its first moment; chmod then makes it exactly 0660.
        let previousMask = umask(0o117)
        let bound = address.withSocketAddress { bind(descriptor, $0, $1) }
        let bindError = errno
        umask(previousMask)
        guard bound == 0, chmod(path, 0o660) == 0, listen(descriptor, 16) == 0 else {
            let failure = SocketError(
                bound == 0 ? "listen on" : "bind", path: path, code: bound == 0 ? errno : bindError)
            close(descriptor)
            throw failure
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let failure = SocketError("create the wake-up pipe of", path: path)
            close(descriptor)
            unlink(path)
            throw failure
        }
        // Glibc's module hides pipe2 and accept4 (GNU extensions), so close-on-exec comes a moment
        // later; Roster starts no child processes, so nothing can inherit the descriptors meanwhile.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        self.path = path
        listener = descriptor
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        self.router = router
        self.logger = logger
    }

    deinit {
        close(listener)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts accepting connections on a thread of its own.
    public func start() {
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting and removes the socket file; connections being served finish on their own.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        unlink(path)
    }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            var descriptors = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("control socket \(path): poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if descriptors[1].revents != 0 { return }
            guard descriptors[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // Out of descriptors, or a client gone before accept: wait a moment rather than spin.
                if errno != EINTR && errno != ECONNABORTED { usleep(100_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let admitted = connections.withLock { count in
                guard count < Self.maximumConnections else { return false }
                count += 1
                return true
            }
            guard admitted else {
                _ = SocketIO.writeAll(client, ControlResponse.failure("the daemon is busy; try again").line)
                close(client)
                continue
            }
            Thread.detachNewThread { [self] in
                serve(client)
                connections.withLock { $0 -= 1 }
            }
        }
    }

    /// Answers each line of one connection in turn until the client closes it or falls silent.
    private func serve(_ client: Int32) {
        defer { close(client) }
        SocketIO.setTimeout(client, SO_RCVTIMEO, Self.idleTimeout)
        SocketIO.setTimeout(client, SO_SNDTIMEO, .seconds(10))
        var buffer: [UInt8] = []
        while true {
            switch SocketIO.readLine(client, buffer: &buffer, limit: Self.maximumLineBytes) {
            case .end:
                return
            case .tooLong:
                _ = SocketIO.writeAll(client, ControlResponse.failure("the request is longer than 1 MiB").line)
                return
            case .line(let line):
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                guard SocketIO.writeAll(client, answer(line).line) else { return }
            }
        }
    }

    /// Runs the router's async handler and waits for it; this is a connection thread, not the pool.
    private func answer(_ line: String) -> ControlResponse {
        let response = Mutex<ControlResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task { [router] in
            let answer = await router.handle(line: line)
            response.withLock { $0 = answer }
            done.signal()
        }
        done.wait()
        return response.withLock { $0 } ?? .failure("the daemon gave no answer")
    }

    /// Removes a socket file nobody answers on; throws when someone does, or when it is not a socket.
    private static func clearStaleSocket(_ address: UnixSocketAddress) throws {
        var info = stat()
        guard lstat(address.path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw SocketError(
                "listen on", path: address.path,
                reason: "the file exists and is not a socket; remove it or choose another daemon.control_socket")
        }
        if let descriptor = try? SocketIO.connect(to: address) {
            close(descriptor)
            throw SocketError(
                "listen on", path: address.path,
                reason: "another process already answers on it; stop it or choose another daemon.control_socket")
        }
        unlink(address.path)
    }
}

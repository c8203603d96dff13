#if canImport(Glibc)
    import Glibc
#endif

/// Asks the daemon over its control socket: one request, one answer.
public enum ControlClient {
    /// Sends `request` to the daemon listening on `path` and waits for its answer.
    ///
    /// - Parameter timeout: How long to wait for the answer; nil waits as long as it takes (a
    ///   `reconcile` lasts as long as the run).
    /// - Throws: `SocketError` (`isNotListening` when no daemon listens there) or `ControlProtocolError`.
    public static func send(
        _ request: ControlRequest, to path: String, timeout: Duration? = .seconds(30)
    ) throws -> ControlResponse {
        let address = try UnixSocketAddress(path)
        let descriptor = try SocketIO.connect(to: address)
        defer { close(descriptor) }
        SocketIO.setTimeout(descriptor, SO_RCVTIMEO, timeout)
        SocketIO.setTimeout(descriptor, SO_SNDTIMEO, .seconds(10))
        guard SocketIO.writeAll(descriptor, request.line) else { throw SocketError("send the request to", path: path) }
        var buffer: [UInt8] = []
        // Cleared so that a timeout can be told from the daemon closing the connection.
        errno = 0
        switch SocketIO.readLine(descriptor, buffer: &buffer, limit: 256 << 20) {
        case .line(let line):
            return try ControlResponse(line: line)
        case .tooLong:
            throw ControlProtocolError("the daemon's answer on \(path) is too long")
        case .end:
            if errno == EAGAIN || errno == EWOULDBLOCK {
                let seconds = Int(timeout?.timeInterval ?? 0)
                throw SocketError("read the answer from", path: path, reason: "no answer within \(seconds) s")
            }
            throw SocketError("read the answer from", path: path, reason: "the daemon closed the connection")
        }
    }
}

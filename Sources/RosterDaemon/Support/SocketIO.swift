#if canImport(Glibc)
    import Glibc
#endif

/// The few socket calls the notifier, the control server and its client share.
enum SocketIO {
    /// A connected Unix stream socket to `address`; throws `SocketError` (`isNotListening` when no one listens).
    static func connect(to address: UnixSocketAddress) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("open a socket for", path: address.path) }
        let result = address.withSocketAddress { Glibc.connect(descriptor, $0, $1) }
        guard result == 0 else {
            let failure = SocketError("connect to", path: address.path)
            close(descriptor)
            throw failure
        }
        return descriptor
    }

    /// Writes every byte (retrying short writes); false when the peer went away.
    static func writeAll(_ descriptor: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must not kill the daemon with SIGPIPE.
            let written = bytes.withUnsafeBytes {
                send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Sets `SO_RCVTIMEO` or `SO_SNDTIMEO`; nil means wait forever.
    static func setTimeout(_ descriptor: Int32, _ option: Int32, _ limit: Duration?) {
        let seconds = limit?.timeInterval ?? 0
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        _ = setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The outcome of reading one line.
    enum LineRead {
        case line(String)
        /// More than the limit arrived without a newline.
        case tooLong
        /// End of input, a read error or a timeout (`errno` tells which).
        case end
    }

    /// Reads one line (without its newline), or the rest when the peer closes after an unterminated line.
    static func readLine(_ descriptor: Int32, buffer: inout [UInt8], limit: Int) -> LineRead {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            guard buffer.count <= limit else { return .tooLong }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                guard count == 0, !buffer.isEmpty else { return .end }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            buffer += chunk[..<count]
        }
    }
}

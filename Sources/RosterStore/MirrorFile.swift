#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns the open descriptor of the audit mirror for one catch-up; closing it releases the lock.
final class MirrorFile {
    private let descriptor: Int32
    let path: String

    /// Opens `path` for appending, creating it with mode 0640 (the log names people) when missing.
    init(path: String) throws {
        #if canImport(Glibc)
            descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        #else
            descriptor = Darwin.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        #endif
        self.path = path
        guard descriptor >= 0 else { throw failure("open") }
    }

    deinit {
        close(descriptor)
    }

    func lock() throws {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("lock") }
        }
    }

    func size() throws -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("stat") }
        return Int64(status.st_size)
    }

    func byte(at offset: Int64) throws -> UInt8 {
        try read(from: offset, count: 1)[0]
    }

    /// The offset of the last newline before `end`, searching backwards in chunks; nil when there is none.
    func lastNewline(before end: Int64) throws -> Int64? {
        var chunkEnd = end
        while chunkEnd > 0 {
            let chunkStart = max(0, chunkEnd - 65536)
            let chunk = try read(from: chunkStart, count: Int(chunkEnd - chunkStart))
            if let index = chunk.lastIndex(of: UInt8(ascii: "\n")) { return chunkStart + Int64(index) }
            chunkEnd = chunkStart
        }
        return nil
    }

    func read(from offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw failure(result == 0 ? "read (file shrank)" : "read") }
            done += result
        }
        return bytes
    }

    func truncate(to size: Int64) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw failure("truncate") }
    }

    func append(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw failure("write") }
            done += result
        }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw failure("fsync") }
    }

    private func failure(_ operation: String) -> MirrorError {
        MirrorError(path: path, problem: "\(operation) failed: \(String(cString: strerror(errno)))")
    }
}

@available(*, unavailable)
extension MirrorFile: Sendable {}

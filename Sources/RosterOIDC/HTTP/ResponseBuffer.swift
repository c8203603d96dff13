import Foundation

/// Collects a response body for libcurl's write callback, up to a limit.
final class ResponseBuffer {
    let limit: Int
    private(set) var data = Data()
    /// Set when the server sent more than `limit` bytes: the transfer is aborted.
    private(set) var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Appends a chunk; false (abort the transfer) once the body would pass the limit.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard data.count + bytes.count <= limit else {
            overflowed = true
            return false
        }
        data.append(contentsOf: bytes)
        return true
    }
}

@available(*, unavailable)
extension ResponseBuffer: Sendable {}

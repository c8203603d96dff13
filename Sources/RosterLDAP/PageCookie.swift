import CLDAP

/// The opaque cookie a server returns with each page (RFC 2696), to send back for the next one:
/// the only owner of its `struct berval *` and its bytes, which it frees with `ber_bvfree`.
final class PageCookie {
    /// Allocated by liblber's allocator, since `ber_bvfree` frees it with liblber's.
    let value: UnsafeMutablePointer<berval>

    /// An empty cookie: the first page's request, and what the last page returns.
    init() {
        let raw = ber_memcalloc(1, ber_len_t(MemoryLayout<berval>.size))!
        value = raw.bindMemory(to: berval.self, capacity: 1)
    }

    deinit {
        ber_bvfree(value)
    }

    /// An empty cookie in a response means the search is done.
    var isEmpty: Bool { value.pointee.bv_val == nil || value.pointee.bv_len == 0 }
}

@available(*, unavailable)
extension PageCookie: Sendable {}

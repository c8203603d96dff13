import CCurl

/// Owns one `curl_slist` of header lines; libcurl reads it during the transfer, so it lives as
/// long as the easy handle that uses it.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) throws {
        for line in lines {
            guard let appended = curl_slist_append(pointer, line) else {
                curl_slist_free_all(pointer)
                pointer = nil
                throw CurlHeaderListError()
            }
            pointer = appended
        }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}

/// libcurl could not allocate a header line.
struct CurlHeaderListError: Error, CustomStringConvertible {
    var description: String { "libcurl could not allocate the request's header list (out of memory)" }
}

@available(*, unavailable)
extension CurlHeaderList: Sendable {}

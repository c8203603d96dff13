import CCurl
import Foundation

/// Owns one libcurl easy handle, set up for one request. Not thread-safe: one thread at a time.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes its detailed error message here; it must outlive the handle's transfers.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Kept alive while the handle may read it.
    private var headerList: CurlHeaderList?
    private let url: String

    /// libcurl's global state is set up once per process, before any handle (thread-safe via `static let`).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(url: String, displayURL: String) throws {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPError(kind: .transport, url: displayURL, message: "could not be requested: libcurl did not start")
        }
        self.handle = handle
        self.url = displayURL
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, url)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    // MARK: - Options

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(roster_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(roster_curl_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset: Int64) throws {
        try check(roster_curl_setopt_off_t(handle, option, curl_off_t(offset)), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws {
        try check(roster_curl_setopt_pointer(handle, option, pointer), option)
    }

    func setHeaders(_ lines: [String]) throws {
        let list = try CurlHeaderList(lines)
        try check(roster_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list.pointer), CURLOPT_HTTPHEADER)
        headerList = list
    }

    /// `value` percent-encoded by libcurl for a form body.
    func escape(_ value: String) throws -> String {
        guard let escaped = curl_easy_escape(handle, value, Int32(value.utf8.count)) else {
            throw HTTPError(
                kind: .transport, url: url, message: "could not be requested: libcurl could not encode a form field")
        }
        defer { curl_free(escaped) }
        return String(cString: escaped)
    }

    // MARK: - Transfer

    /// Runs the transfer, the body going to `buffer`; blocks the calling thread.
    func perform(into buffer: ResponseBuffer) throws -> HTTPResponse {
        let write: roster_curl_write_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            // Returning less than `length` makes libcurl abort with CURLE_WRITE_ERROR.
            return buffer.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
        try check(roster_curl_setopt_write_function(handle, write), CURLOPT_WRITEFUNCTION)
        let context = Unmanaged.passUnretained(buffer).toOpaque()
        try set(CURLOPT_WRITEDATA, pointer: context)
        let code = withExtendedLifetime(buffer) { curl_easy_perform(handle) }
        guard code == CURLE_OK else { throw transferError(code, overflowed: buffer.overflowed, limit: buffer.limit) }
        var status = 0
        _ = roster_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(
            status: status, contentType: info(CURLINFO_CONTENT_TYPE), redirectURL: info(CURLINFO_REDIRECT_URL),
            body: buffer.data, url: url)
    }

    private func info(_ item: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard roster_curl_getinfo_string(handle, item, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    // MARK: - Errors

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw HTTPError(
                kind: .transport, url: url,
                message: "could not be requested: libcurl refused option \(option.rawValue): \(Self.text(code))")
        }
    }

    private func transferError(_ code: CURLcode, overflowed: Bool, limit: Int) -> HTTPError {
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? Self.text(code) : detail
        switch code {
        case CURLE_WRITE_ERROR where overflowed, CURLE_FILESIZE_EXCEEDED:
            return HTTPError(
                kind: .tooLarge, url: url, message: "sent more than \(limit) bytes; the answer was dropped")
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPError(kind: .timeout, url: url, message: "did not answer in time: \(reason)")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR,
            CURLE_SSL_CERTPROBLEM:
            return HTTPError(
                kind: .tls, url: url,
                message: "failed TLS verification: \(reason); set tls.ca_file to the CA that issued its certificate")
        default:
            return HTTPError(kind: .transport, url: url, message: "could not be reached: \(reason)")
        }
    }

    private static func text(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

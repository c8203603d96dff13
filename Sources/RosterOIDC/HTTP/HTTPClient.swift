import CCurl
import Foundation
import RosterCore

/// A small HTTP client on libcurl: TLS verified (system CA store or `tls.ca_file`), bounded time
/// and response size, no redirects followed. One easy handle per request, on a Dispatch thread so
/// the blocking transfer never holds a Swift concurrency thread.
public struct HTTPClient: HTTPTransport {
    public var caFile: String?
    /// Only when the admin set `tls.insecure_skip_verify: true`; never by default.
    public var skipTLSVerification: Bool
    public var connectTimeout: Duration
    public var timeout: Duration
    /// Larger answers are aborted: a discovery document or a JWKS is a few KiB.
    public var maxResponseBytes: Int

    public init(
        caFile: String? = nil, skipTLSVerification: Bool = false, connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30), maxResponseBytes: Int = 1 << 20
    ) {
        self.caFile = caFile
        self.skipTLSVerification = skipTLSVerification
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public init(tls: TLSOptions) {
        self.init(caFile: tls.caFile, skipTLSVerification: tls.insecureSkipVerify)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try perform(request) })
            }
        }
    }

    /// The blocking transfer.
    func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        let easy = try CurlEasy(url: request.url, displayURL: request.displayURL)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        // Signals cannot interrupt a resolver in a multi-threaded process.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout))
        try easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(maxResponseBytes))
        try easy.set(CURLOPT_SSL_VERIFYPEER, skipTLSVerification ? 0 : 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, skipTLSVerification ? 0 : 2)
        if let caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_USERAGENT, "roster/\(RosterVersion.current)")

        var headers = request.headers.map { "\($0.name): \($0.value)" }
        switch request.method {
        case .get:
            try easy.set(CURLOPT_HTTPGET, 1)
        case .post, .put:
            let body: String
            if !request.form.isEmpty {
                body = try request.form.map { try easy.escape($0.name) + "=" + easy.escape($0.value) }.joined(
                    separator: "&")
                headers.append("Content-Type: application/x-www-form-urlencoded")
            } else {
                body = request.body ?? ""
                if request.body != nil { headers.append("Content-Type: application/json") }
            }
            try easy.set(CURLOPT_POST, 1)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.utf8.count))
            try easy.set(CURLOPT_COPYPOSTFIELDS, body)
            if request.method == .put { try easy.set(CURLOPT_CUSTOMREQUEST, "PUT") }
        }
        headers.append("Accept: application/json")
        try easy.setHeaders(headers)
        return try easy.perform(into: ResponseBuffer(limit: maxResponseBytes))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

import Foundation
import RosterCore

/// One HTTP request as the OIDC code needs them: a GET, or a POST of a form.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
    }

    public var method: Method
    public var url: String
    /// Extra header lines, such as `Authorization`. Their values never appear in errors.
    public var headers: [(name: String, value: String)]
    /// `application/x-www-form-urlencoded` fields, encoded by libcurl; sent as the body of a POST.
    public var form: [(name: String, value: String)]
    /// A raw body (JSON), used when `form` is empty.
    public var body: String?

    public init(
        _ method: Method, _ url: String, headers: [(name: String, value: String)] = [],
        form: [(name: String, value: String)] = [], body: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.form = form
        self.body = body
    }

    /// The URL without its query: safe to print (a query might carry a code or a token).
    public var displayURL: String {
        url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
    }
}

/// What a server answered.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var contentType: String?
    /// Where a redirect pointed (redirects are never followed).
    public var redirectURL: String?
    public var body: Data
    /// The request's printable URL, for messages.
    public var url: String

    public init(status: Int, contentType: String? = nil, redirectURL: String? = nil, body: Data, url: String) {
        self.status = status
        self.contentType = contentType
        self.redirectURL = redirectURL
        self.body = body
        self.url = url
    }

    /// The body as JSON; an error naming the URL when it is not.
    public func json() throws -> JSONValue {
        guard let value = try? JSONValue.parse(body) else {
            throw HTTPError(
                kind: .badResponse, url: url,
                message: "answered HTTP \(status) with a body that is not JSON"
                    + (contentType.map { " (\($0))" } ?? ""))
        }
        return value
    }
}

/// Sends HTTP requests. `HTTPClient` (libcurl) in production; tests substitute a fake server.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

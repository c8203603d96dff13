import Foundation
import RosterCore
import RosterOIDC
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenID provider on loopback for one test: `oidc-provider-mock` (PyPI), started with
/// `python3 -m oidc_provider_mock`. Its issuer follows the request's Host, so everything here
/// (and the configuration) uses http://127.0.0.1:PORT.
final class MockProvider: Sendable {
    let port: Int
    let log: URL
    private let process: Mutex<Process?>
    private let http = HTTPClient(timeout: .seconds(20))

    var issuer: String { "http://127.0.0.1:\(port)" }

    /// Fails (never skips, in CI or not: SPEC §9) with the fix when the provider is not installed.
    static func start(in folder: URL) async throws -> MockProvider {
        // The python3 on PATH is the one scripts/install-deps installed the package for.
        let python =
            Self.onPath("python3")
            ?? ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
        guard let python else { throw ProviderError("python3 is not installed; run scripts/install-deps --test") }
        let port = try freePort()
        let log = folder.appendingPathComponent("provider.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "oidc_provider_mock", "--port", String(port), "--host", "127.0.0.1"]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let provider = MockProvider(port: port, log: log, process: process)
        try await provider.waitUntilReady()
        return provider
    }

    private init(port: Int, log: URL, process: Process) {
        self.port = port
        self.log = log
        self.process = Mutex(process)
    }

    /// SIGTERM, then SIGKILL if the server is still there after a few seconds.
    func stop() {
        process.withLock { process in
            guard let running = process else { return }
            running.terminate()
            for _ in 0..<50 where running.isRunning { usleep(50_000) }
            if running.isRunning { kill(running.processIdentifier, SIGKILL) }
            running.waitUntilExit()
            process = nil
        }
    }

    private func waitUntilReady() async throws {
        for _ in 0..<300 {
            let running = process.withLock { $0?.isRunning ?? false }
            guard running else { break }
            if let response = try? await http.send(HTTPRequest(.get, issuer + "/.well-known/openid-configuration")),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let hint =
            output.contains("No module named")
            ? "oidc-provider-mock is not installed; run scripts/install-deps --test (python3 -m pip install "
                + "oidc-provider-mock)"
            : "it did not answer on \(issuer)"
        throw ProviderError("the OpenID provider did not start: \(hint)\n\(output.suffix(1500))")
    }

    // MARK: - Driving the provider

    /// Sets the claims the provider gives `subject` (ID tokens and userinfo).
    func setUser(_ subject: String, _ claims: [String: JSONValue]) async throws {
        let response = try await http.send(
            HTTPRequest(.put, "\(issuer)/users/\(subject)", body: JSONValue.object(claims).canonicalString))
        guard response.status == 204 else { throw ProviderError("PUT /users/\(subject) answered \(response.status)") }
    }

    /// Revokes every token of `subject`: refreshing them then answers `invalid_grant`.
    func revokeTokens(_ subject: String) async throws {
        let response = try await http.send(HTTPRequest(.post, "\(issuer)/users/\(subject)/revoke-tokens"))
        guard response.status == 204 else { throw ProviderError("revoke-tokens answered \(response.status)") }
    }

    /// Signs `subject` in through the headless authorize endpoint and redeems the code, as the
    /// platform's login would: the ID token and refresh token it gets.
    func signIn(_ subject: String, clientID: String = "roster") async throws -> (idToken: String, refreshToken: String)
    {
        let redirect = "http://127.0.0.1/callback"
        var authorize = URLComponents(string: "\(issuer)/oauth2/authorize")!
        authorize.queryItems = [
            URLQueryItem(name: "client_id", value: clientID), URLQueryItem(name: "redirect_uri", value: redirect),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: "test"),
        ]
        let answer = try await http.send(HTTPRequest(.post, authorize.string!, form: [(name: "sub", value: subject)]))
        guard let location = answer.redirectURL,
            let code = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "code" })?.value
        else { throw ProviderError("authorize answered \(answer.status) without a code") }
        let tokens = try await http.send(
            HTTPRequest(
                .post, "\(issuer)/oauth2/token",
                form: [
                    (name: "grant_type", value: "authorization_code"), (name: "code", value: code),
                    (name: "redirect_uri", value: redirect), (name: "client_id", value: clientID),
                    (name: "client_secret", value: "test-secret"),
                ]))
        let json = try tokens.json()
        guard let idToken = json["id_token"]?.stringValue, let refreshToken = json["refresh_token"]?.stringValue else {
            throw ProviderError("the token endpoint answered \(tokens.status) without tokens")
        }
        return (idToken, refreshToken)
    }

    // MARK: - Ports

    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ProviderError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw ProviderError("could not find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }
}

struct ProviderError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

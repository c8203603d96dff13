import Foundation
import RosterOIDC
import Testing

/// The libcurl client against real sockets: bounded size and time, TLS verified.
@Suite(.serialized)
struct HTTPClientTests {
    @Test(arguments: ["/big", "/big-stream"])
    func answersPastTheLimitAreDropped(path: String) async throws {
        let server = try await ScriptServer()
        defer { server.stop() }
        let client = HTTPClient(maxResponseBytes: 1 << 20)
        await #expect {
            try await client.send(HTTPRequest(.get, server.url + path + "?code=secret"))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .tooLarge && "\(error)".contains(server.url + path) && !"\(error)".contains("secret")
        }
        let small = try await client.send(HTTPRequest(.get, server.url + "/json"))
        #expect(small.status == 200)
        #expect(try small.json()["ok"] == .bool(true))
    }

    @Test func slowServersTimeOut() async throws {
        let server = try await ScriptServer()
        defer { server.stop() }
        let client = HTTPClient(timeout: .seconds(1))
        await #expect {
            try await client.send(HTTPRequest(.get, server.url + "/slow"))
        } throws: { ($0 as? HTTPError)?.kind == .timeout }
    }

    @Test func tlsIsVerifiedAgainstTheSystemStoreOrTheConfiguredCA() async throws {
        let server = try await ScriptServer(tls: true)
        defer { server.stop() }
        await #expect {
            try await HTTPClient().send(HTTPRequest(.get, server.httpsURL + "/json"))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .tls && error.message.contains("tls.ca_file")
        }
        let trusted = try await HTTPClient(caFile: server.certificate).send(
            HTTPRequest(.get, server.httpsURL + "/json"))
        #expect(trusted.status == 200)
    }

    @Test func anUnreachableServerIsATransportError() async throws {
        let port = try MockProvider.freePort()
        await #expect {
            try await HTTPClient().send(HTTPRequest(.get, "http://127.0.0.1:\(port)/"))
        } throws: { ($0 as? HTTPError)?.kind == .transport }
    }
}

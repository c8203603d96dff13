import Foundation
import RosterTestSupport
import Testing

@testable import RosterDaemon

#if canImport(Glibc)
    import Glibc
#endif

// A hang guard only: with end-to-end suites blocking pool threads in the same process, answers
// can wait a long time for a thread.
@Suite(.timeLimit(.minutes(10)))
struct ControlServerTests {
    /// A short folder: socket paths must stay under 108 bytes.
    private func folder() throws -> String {
        let path = "/tmp/roster-ctl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func router() -> ControlRouter {
        let router = ControlRouter()
        router.register("echo") { request in .success(.object(request.arguments)) }
        router.register("slow") { _ in
            try? await Task.sleep(for: .milliseconds(200))
            return .success(.string("done"))
        }
        return router
    }

    @Test func aClientGetsOneAnswerPerRequestOnASocketOfMode0660() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/roster.sock"
        let server = try ControlServer(path: path, router: router(), logger: DaemonLogger(sink: { _ in }))
        server.start()
        defer { server.stop() }

        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let answer = try await offPool {
            try ControlClient.send(ControlRequest(op: "echo", arguments: ["a": .int(1)]), to: path, timeout: nil)
        }
        #expect(answer.ok && answer.result == .object(["a": .int(1)]))
        let slow = try await offPool { try ControlClient.send(ControlRequest(op: "slow"), to: path, timeout: nil) }
        #expect(slow.result == .string("done"))
        let unknown = try await offPool { try ControlClient.send(ControlRequest(op: "nope"), to: path, timeout: nil) }
        #expect(!unknown.ok)
    }

    @Test func severalRequestsOnOneConnectionAreAnsweredInOrder() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/roster.sock"
        let server = try ControlServer(path: path, router: router(), logger: DaemonLogger(sink: { _ in }))
        server.start()
        defer { server.stop() }
        let answers = try await offPool { () -> [ControlResponse] in
            let descriptor = try SocketIO.connect(to: UnixSocketAddress(path))
            defer { close(descriptor) }
            _ = SocketIO.writeAll(descriptor, #"{"op":"echo","n":1}"# + "\n" + #"{"op":"echo","n":2}"# + "\n\n")
            var buffer: [UInt8] = []
            return try (1...2).map { _ in
                guard case .line(let line) = SocketIO.readLine(descriptor, buffer: &buffer, limit: 1 << 16) else {
                    throw ControlProtocolError("no answer")
                }
                return try ControlResponse(line: line)
            }
        }
        #expect(answers.map(\.result) == [.object(["n": .int(1)]), .object(["n": .int(2)])])
    }

    @Test func aStaleSocketIsReplacedButALiveOneOrAFileIsNot() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/roster.sock"
        let logger = DaemonLogger(sink: { _ in })
        let first = try ControlServer(path: path, router: router(), logger: logger)
        first.start()
        #expect {
            try ControlServer(path: path, router: router(), logger: logger)
        } throws: { "\($0)".contains("another process already answers") }
        first.stop()
        #expect(!FileManager.default.fileExists(atPath: path))

        // A socket file left behind by a killed daemon: nobody answers, so it is replaced.
        let leftover = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        _ = try UnixSocketAddress(path).withSocketAddress { bind(leftover, $0, $1) }
        close(leftover)
        #expect(throws: SocketError.self) { try ControlClient.send(ControlRequest(op: "echo"), to: path, timeout: nil) }
        let second = try ControlServer(path: path, router: router(), logger: logger)
        second.start()
        #expect(try await offPool { try ControlClient.send(ControlRequest(op: "echo"), to: path, timeout: nil) }.ok)
        second.stop()

        _ = FileManager.default.createFile(atPath: path, contents: Data("not a socket".utf8))
        #expect {
            try ControlServer(path: path, router: router(), logger: logger)
        } throws: { "\($0)".contains("is not a socket") }
    }

    @Test func noDaemonIsToldApartFromOtherErrors() throws {
        do {
            _ = try ControlClient.send(ControlRequest(op: "status"), to: "/tmp/roster-no-such-\(UUID()).sock")
            Issue.record("expected a failure")
        } catch let error as SocketError {
            #expect(error.isNotListening)
        }
        #expect {
            try ControlServer(path: "@roster-abstract", router: ControlRouter(), logger: DaemonLogger(sink: { _ in }))
        } throws: { "\($0)".contains("no file permissions") }
        #expect(throws: SocketError.self) { try UnixSocketAddress("/tmp/" + String(repeating: "s", count: 120)) }
    }

    @Test func theDefaultSocketLivesNextToTheStore() {
        #expect(
            DaemonPaths.controlSocket(configured: nil, directoryPath: "/var/lib/roster/roster.db")
                == "/var/lib/roster/roster.sock")
        #expect(
            DaemonPaths.controlSocket(configured: "/run/roster/roster.sock", directoryPath: "/x/y.db")
                == "/run/roster/roster.sock")
        #expect(DaemonPaths.controlSocket(configured: nil, directoryPath: "roster.db") == "./roster.sock")
    }
}

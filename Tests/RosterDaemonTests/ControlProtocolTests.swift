import Foundation
import RosterCore
import Testing

@testable import RosterDaemon

struct ControlProtocolTests {
    @Test func aRequestIsOneJSONObjectWithAnOp() throws {
        let request = try ControlRequest(line: #"{"op":"reconcile","id":7,"sources":["corp"]}"#)
        #expect(request.op == "reconcile")
        #expect(request.id == .int(7))
        #expect(try request.strings("sources") == ["corp"])
        #expect(try request.strings("missing") == [])
        #expect(try ControlRequest(line: request.line.dropLast()) == request)
        #expect(request.line.hasSuffix("\n") && request.line.filter { $0 == "\n" }.count == 1)
    }

    @Test(arguments: [
        ("status", "not JSON"), ("[1,2]", "must be a JSON object"), (#"{"id":1}"#, "has no \"op\""),
        (#"{"op":""}"#, "has no \"op\""), (#"{"op":5}"#, "has no \"op\""),
    ])
    func malformedRequestsAreExplained(line: String, message: String) {
        #expect {
            try ControlRequest(line: line)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aListArgumentOfTheWrongTypeIsRefused() throws {
        let request = try ControlRequest(line: #"{"op":"reconcile","sources":"corp"}"#)
        #expect(throws: ControlProtocolError.self) { try request.strings("sources") }
        let mixed = try ControlRequest(line: #"{"op":"reconcile","sources":["corp",1]}"#)
        #expect(throws: ControlProtocolError.self) { try mixed.strings("sources") }
    }

    @Test func responsesRoundTripOnOneLine() throws {
        var success = ControlResponse.success(.object(["changed": .bool(true)]))
        success.id = .string("a")
        #expect(success.line == #"{"id":"a","ok":true,"result":{"changed":true}}"# + "\n")
        #expect(try ControlResponse(line: success.line) == success)
        let failure = ControlResponse.failure("two\nlines")
        #expect(failure.line.filter { $0 == "\n" }.count == 1)
        #expect(try ControlResponse(line: failure.line).error == "two\nlines")
        #expect(throws: ControlProtocolError.self) { try ControlResponse(line: #"{"result":1}"#) }
    }

    @Test func theRouterEchoesIdsAndNamesTheKnownOps() async {
        let router = ControlRouter()
        router.register("status") { _ in .success(.string("fine")) }
        router.register("oidc.login") { request in .success(request.arguments["token"] ?? .null) }
        let status = await router.handle(line: #"{"op":"status","id":3}"#)
        #expect(status.ok && status.result == .string("fine") && status.id == .int(3))
        let login = await router.handle(line: #"{"op":"oidc.login","token":"t"}"#)
        #expect(login.result == .string("t"))
        let unknown = await router.handle(line: #"{"op":"stauts"}"#)
        #expect(!unknown.ok && unknown.error == "unknown op \"stauts\"; the daemon knows oidc.login, status")
        let broken = await router.handle(line: "{")
        #expect(!broken.ok && broken.error?.contains("not JSON") == true)
    }

    @Test func statusAndReportsSurviveTheJSONRoundTrip() throws {
        let report = MetricsTests.report(finished: Date(timeIntervalSince1970: 1_800_000_000.5))
        let value = try ControlJSON.value(report)
        #expect(value["run_id"] == .string(report.runID) && value["users_by_status"] != nil)
        // The plan document inside is carried as it is, keys included.
        var withDocument = report
        withDocument.document = .object(["first_name": .string("Alice"), "camelCase": .int(1)])
        let carried = try ControlJSON.decode(RunReport.self, from: try ControlJSON.value(withDocument))
        #expect(carried.document == withDocument.document)
        let decoded = try ControlJSON.decode(RunReport.self, from: value)
        #expect(decoded.runID == report.runID && decoded.changes == report.changes)
        #expect(abs(decoded.finishedAt.timeIntervalSince(report.finishedAt)) < 0.001)
        #expect(decoded.sources == report.sources)
    }
}

import Foundation
import RosterCore

/// One request on the control socket: a JSON object on one line with its `op` and arguments,
/// e.g. `{"op":"reconcile","sources":["corp"]}`. An `id`, when given, is echoed in the response.
public struct ControlRequest: Sendable, Hashable {
    public var op: String
    public var id: JSONValue?
    /// Every other member of the object, for the op to read.
    public var arguments: [String: JSONValue]

    public init(op: String, id: JSONValue? = nil, arguments: [String: JSONValue] = [:]) {
        self.op = op
        self.id = id
        self.arguments = arguments
    }

    /// Parses one line; throws `ControlProtocolError` saying what is wrong with it.
    public init(line: some StringProtocol) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Data(line.utf8))
        } catch {
            throw ControlProtocolError("the request is not JSON: send one JSON object per line")
        }
        guard case .object(var members) = value else {
            throw ControlProtocolError("the request must be a JSON object such as {\"op\":\"status\"}")
        }
        guard case .string(let op)? = members.removeValue(forKey: "op"), !op.isEmpty else {
            throw ControlProtocolError("the request has no \"op\"; send {\"op\":\"status\"}, for example")
        }
        self.op = op
        id = members.removeValue(forKey: "id")
        arguments = members
    }

    /// The request as one line, newline included.
    public var line: String {
        var members = arguments
        members["op"] = .string(op)
        if let id { members["id"] = id }
        return JSONValue.object(members).canonicalString + "\n"
    }

    /// A list of strings argument (`sources`), or a protocol error naming it.
    public func strings(_ name: String) throws -> [String] {
        guard let value = arguments[name], value != .null else { return [] }
        let items: [JSONValue]
        if case .array(let array) = value { items = array } else { items = [] }
        let strings = items.compactMap(\.stringValue)
        guard case .array = value, strings.count == items.count else {
            throw ControlProtocolError("\"\(name)\" must be a list of strings")
        }
        return strings
    }
}

/// The answer to one request, on one line: `{"ok":true,"result":…}` or `{"ok":false,"error":"…"}`.
public struct ControlResponse: Sendable, Hashable {
    public var ok: Bool
    public var result: JSONValue?
    /// One sentence naming the problem and the fix, when `ok` is false.
    public var error: String?
    public var id: JSONValue?

    public static func success(_ result: JSONValue = .object([:])) -> ControlResponse {
        ControlResponse(ok: true, result: result, error: nil, id: nil)
    }

    public static func failure(_ error: String, result: JSONValue? = nil) -> ControlResponse {
        ControlResponse(ok: false, result: result, error: error, id: nil)
    }

    public init(ok: Bool, result: JSONValue?, error: String?, id: JSONValue?) {
        self.ok = ok
        self.result = result
        self.error = error
        self.id = id
    }

    public init(line: some StringProtocol) throws {
        guard case .object(let members)? = try? JSONValue.parse(Data(line.utf8)),
            case .bool(let ok)? = members["ok"]
        else { throw ControlProtocolError("the daemon's answer is not a control response: \(line.prefix(200))") }
        self.ok = ok
        result = members["result"]
        error = members["error"]?.stringValue
        id = members["id"]
    }

    public var line: String {
        var members: [String: JSONValue] = ["ok": .bool(ok)]
        if let result { members["result"] = result }
        if let error { members["error"] = .string(error) }
        if let id { members["id"] = id }
        return JSONValue.object(members).canonicalString + "\n"
    }
}

/// A request or response that does not follow the protocol.
public struct ControlProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import Synchronization

/// The control socket's ops by name. The daemon registers `status`, `reconcile` and `reload`;
/// the binary adds more (such as `oidc.login`) the same way.
public final class ControlRouter: Sendable {
    public typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    private let handlers = Mutex<[String: Handler]>([:])

    public init() {}

    /// Makes `op` answer with `handler`, replacing an earlier one.
    public func register(_ op: String, _ handler: @escaping Handler) {
        handlers.withLock { $0[op] = handler }
    }

    public var ops: [String] { handlers.withLock { $0.keys.sorted() } }

    /// The response to `request`, carrying its `id`; an unknown op is answered with the known ones.
    public func handle(_ request: ControlRequest) async -> ControlResponse {
        var response: ControlResponse
        if let handler = handlers.withLock({ $0[request.op] }) {
            response = await handler(request)
        } else {
            response = .failure("unknown op \"\(request.op)\"; the daemon knows \(ops.joined(separator: ", "))")
        }
        response.id = request.id
        return response
    }

    /// The response to one raw line: protocol errors are answered, never thrown.
    public func handle(line: some StringProtocol) async -> ControlResponse {
        do {
            return await handle(try ControlRequest(line: line))
        } catch {
            return .failure("\(error)")
        }
    }
}

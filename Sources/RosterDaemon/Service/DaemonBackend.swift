/// The outside world of the daemon: the binary implements it with the configuration loader, the
/// sources and the store, so that this module stays free of all three.
public protocol DaemonBackend: Sendable {
    /// Reads and checks the configuration file again, in full. On success later runs use it and
    /// its settings are returned; on failure the configuration in use stays and the error says
    /// why, one `PATH:LINE:COL: message` line per problem.
    func reload() throws -> DaemonSettings

    /// Audits the configuration in use as `config.load` unless its SHA-256 was the last one audited.
    func recordConfiguration(gate: ApplyGate) async throws

    /// One reconcile run as `request` asks; its writes go through `request.gate`.
    func reconcile(_ request: RunRequest) async throws -> RunReport
}

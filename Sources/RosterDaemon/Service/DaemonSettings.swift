/// What the daemon needs of a configuration: its schedule, its sockets and files, and its sources.
public struct DaemonSettings: Sendable, Hashable {
    /// The configuration file, as given.
    public var configPath: String
    /// SHA-256 of the bytes the configuration was loaded from (hex).
    public var configSHA256: String
    public var interval: Duration
    public var fullSyncEvery: Duration
    /// The control socket's path (`daemon.control_socket`, or its default next to the store).
    public var controlSocket: String
    public var metricsFile: String?
    /// The sources the daemon reads on its schedule, in configuration order.
    public var sources: [String]

    public init(
        configPath: String, configSHA256: String, interval: Duration, fullSyncEvery: Duration,
        controlSocket: String, metricsFile: String?, sources: [String]
    ) {
        self.configPath = configPath
        self.configSHA256 = configSHA256
        self.interval = interval
        self.fullSyncEvery = fullSyncEvery
        self.controlSocket = controlSocket
        self.metricsFile = metricsFile
        self.sources = sources
    }

    public var policy: SchedulePolicy { SchedulePolicy(interval: interval, fullSyncEvery: fullSyncEvery) }
}

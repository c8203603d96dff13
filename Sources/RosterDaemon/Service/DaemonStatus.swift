import Foundation

/// What the `status` op answers: the daemon's state, its schedule and each source's health.
public struct DaemonStatus: Sendable, Codable {
    /// A run under way.
    public struct CurrentRun: Sendable, Codable, Hashable {
        public var startedAt: Date
        public var trigger: RunTrigger
        public var sources: [String]

        private enum CodingKeys: String, CodingKey {
            case startedAt = "started_at"
            case trigger
            case sources
        }
    }

    /// The latest reload, accepted or not.
    public struct Reload: Sendable, Codable, Hashable {
        public var at: Date
        public var accepted: Bool
        /// Why it was rejected: the loader's `PATH:LINE:COL: message` lines.
        public var error: String?
    }

    public var pid: Int32
    public var version: String
    public var startedAt: Date
    public var configPath: String
    public var configSHA256: String
    public var intervalSeconds: Double
    public var fullSyncEverySeconds: Double
    public var controlSocket: String
    public var metricsFile: String?
    public var running: CurrentRun?
    /// The latest run's report, without its plan text.
    public var lastRun: RunReport?
    /// Why the latest run failed as a whole, when it did.
    public var lastFailure: String?
    public var nextRun: Date
    /// The next full read; nil when the next run is one.
    public var nextFullRead: Date?
    public var sources: [SourceHealth]
    public var lastReload: Reload?
    public var stopping: Bool

    /// snake_case, like the rest of Roster's JSON.
    private enum CodingKeys: String, CodingKey {
        case pid
        case version
        case startedAt = "started_at"
        case configPath = "config_path"
        case configSHA256 = "config_sha256"
        case intervalSeconds = "interval_seconds"
        case fullSyncEverySeconds = "full_sync_every_seconds"
        case controlSocket = "control_socket"
        case metricsFile = "metrics_file"
        case running
        case lastRun = "last_run"
        case lastFailure = "last_failure"
        case nextRun = "next_run"
        case nextFullRead = "next_full_read"
        case sources
        case lastReload = "last_reload"
        case stopping
    }
}

/// The whole of `roster.yaml`, typed. Built by the RosterConfig module; consumed here.
public struct RosterConfiguration: Sendable {
    /// The file it was read from, for messages.
    public var path: String
    public var directory: DirectoryOptions
    public var audit: AuditOptions
    public var daemon: DaemonOptions
    public var safety: SafetyOptions
    public var scope: SyncScope
    /// In the order written: the first source wins ties.
    public var sources: [SourceConfiguration]
    /// In the order written.
    public var roles: [RoleDefinition]
    public var defaults: DefaultGrants
    public var mappings: [MappingRule]
    /// The settings as parsed, in one canonical text: comments and layout are not in it, every
    /// key, value, order and quoting is. Two files with the same text plan alike, so a run after
    /// an edit of comments only may still plan just the people its changes touch. Empty when the
    /// configuration was not read from a file.
    public var canonicalSettings = ""

    public init(
        path: String, directory: DirectoryOptions, audit: AuditOptions = AuditOptions(),
        daemon: DaemonOptions = DaemonOptions(), safety: SafetyOptions = SafetyOptions(),
        scope: SyncScope = .mapped, sources: [SourceConfiguration], roles: [RoleDefinition],
        defaults: DefaultGrants = DefaultGrants(), mappings: [MappingRule]
    ) {
        self.path = path
        self.directory = directory
        self.audit = audit
        self.daemon = daemon
        self.safety = safety
        self.scope = scope
        self.sources = sources
        self.roles = roles
        self.defaults = defaults
        self.mappings = mappings
    }

    public func source(named name: String) -> SourceConfiguration? {
        sources.first { $0.name == name }
    }

    public func role(named name: String) -> RoleDefinition? {
        roles.first { $0.name == name }
    }
}

public struct DirectoryOptions: Sendable {
    /// SQLite file of the directory.
    public var path: String
    public init(path: String) { self.path = path }
}

public struct AuditOptions: Sendable {
    /// Optional JSON-lines mirror of the audit log; the database copy is authoritative.
    public var file: String?
    public init(file: String? = nil) { self.file = file }
}

public struct DaemonOptions: Sendable {
    public var interval: Duration
    public var fullSyncEvery: Duration
    public var controlSocket: String?
    public var metricsFile: String?

    public init(
        interval: Duration = .seconds(15 * 60), fullSyncEvery: Duration = .seconds(6 * 3600),
        controlSocket: String? = nil, metricsFile: String? = nil
    ) {
        self.interval = interval
        self.fullSyncEvery = fullSyncEvery
        self.controlSocket = controlSocket
        self.metricsFile = metricsFile
    }
}

/// What happens to a managed user that is no longer in scope.
public enum OnMissing: String, Sendable, CaseIterable {
    case deactivate
    case delete
    case keep
}

/// A limit written as a count (`10`) or a share of the managed users (`10%`).
public enum ChangeLimit: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// The largest number of changes allowed among `managed` users.
    public func allowance(managed: Int) -> Int {
        switch self {
        case .count(let count): return count
        case .percent(let percent): return Int((Double(managed) * percent / 100).rounded(.down))
        }
    }

    public var description: String {
        switch self {
        case .count(let count): return String(count)
        case .percent(let percent):
            return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        }
    }
}

public struct SafetyOptions: Sendable {
    public var maxDeactivations: ChangeLimit
    public var maxDeletions: ChangeLimit
    /// Emails or usernames, compared case-insensitively; never touched by sync.
    public var protectedUsers: [String]
    public var onMissing: OnMissing
    public var deleteAfter: Duration?

    public init(
        maxDeactivations: ChangeLimit = .percent(10), maxDeletions: ChangeLimit = .count(0),
        protectedUsers: [String] = [], onMissing: OnMissing = .deactivate, deleteAfter: Duration? = nil
    ) {
        self.maxDeactivations = maxDeactivations
        self.maxDeletions = maxDeletions
        self.protectedUsers = protectedUsers
        self.onMissing = onMissing
        self.deleteAfter = deleteAfter
    }
}

/// Which source users Roster manages.
public enum SyncScope: String, Sendable, CaseIterable {
    /// Only users matched by at least one (non-excluding) selector rule.
    case mapped
    /// Every source user.
    case all
}

/// Applied to every in-scope synced user.
public struct DefaultGrants: Sendable {
    public var type: UserType?
    public var roles: [String]

    public init(type: UserType? = nil, roles: [String] = []) {
        self.type = type
        self.roles = roles
    }
}

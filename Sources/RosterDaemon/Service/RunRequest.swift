/// Why a run happens.
public enum RunTrigger: String, Sendable, Codable {
    /// The regular run, every `daemon.interval`.
    case scheduled
    /// Failing sources read again on their own, with backoff.
    case retry
    /// Asked for on the control socket (`roster reconcile --now`).
    case requested
}

/// What the scheduler decided to run next.
public struct RunPlan: Sendable, Hashable {
    /// The sources to read; empty means all of them.
    public var sources: [String]
    public var trigger: RunTrigger
    /// A full read is due (`daemon.full_sync_every`); otherwise sources that offer incremental
    /// reads are read from their cookies.
    public var fullRead: Bool
    /// Apply even above a `safety.max_*` limit, this once (`roster reconcile --now --force`).
    public var force: Bool

    public init(sources: [String] = [], trigger: RunTrigger, fullRead: Bool, force: Bool = false) {
        self.sources = sources
        self.trigger = trigger
        self.fullRead = fullRead
        self.force = force
    }

    public var readsAllSources: Bool { sources.isEmpty }
}

/// A run as the daemon asks the backend for it.
public struct RunRequest: Sendable {
    public var plan: RunPlan
    /// The apply must go through this gate, so that a stop never leaves it half done.
    public var gate: ApplyGate

    public init(plan: RunPlan, gate: ApplyGate) {
        self.plan = plan
        self.gate = gate
    }
}

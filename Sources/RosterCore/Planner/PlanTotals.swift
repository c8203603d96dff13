/// Counts about the whole directory and the whole source reads, for a planner that is given only
/// the people a run's changes touch: the safety limits and the empty-source check count everyone.
public struct PlanTotals: Sendable, Equatable {
    /// Non-deleted users with at least one source identity (what `safety.max_*` percentages
    /// count); nil until counted, which a plan without deactivations or deletions never needs.
    public var managedUsers: Int?
    /// Per source, the non-deleted users with an identity in it.
    public var managedBySource: [String: Int]
    /// Per source, how many users its whole snapshot (cache with the changes merged in) holds.
    public var sourceUsers: [String: Int]

    public init(managedUsers: Int?, managedBySource: [String: Int], sourceUsers: [String: Int]) {
        self.managedUsers = managedUsers
        self.managedBySource = managedBySource
        self.sourceUsers = sourceUsers
    }
}

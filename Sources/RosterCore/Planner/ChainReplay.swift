/// Gives the reason chains (`alice ← cn=ml-core → mapping ml-admins`) of one source's users,
/// by evaluating the mappings again with them.
///
/// The planner evaluates every user without chains: most users of a run do not change, and
/// their chains, a string and a dictionary entry per grant, were a large share of a resync's
/// time and memory. Only a change's users have them worked out, from the same mappings and
/// groups, so the texts are those a first evaluation would have given.
struct ChainReplay {
    let engine: MappingEngine
    let memberships: MembershipIndex
    /// The snapshot's users (its array, shared): a change names its users by position.
    let users: [SourceUser]
    var cache: MatchCache

    /// The user's grants, each with its chain (`MappingEvaluation.chains`).
    mutating func evaluation(ofUserAt index: Int) -> MappingEvaluation {
        engine.evaluate(users[index], memberships: memberships, cache: &cache)
    }
}

/// Where a source user is in a run's reads: the source's position among the live snapshots
/// and the user's in its `users`. Eight bytes where a copy of the user is well over a hundred.
struct SourceUserPosition: Sendable, Hashable {
    var source: UInt32
    var user: UInt32
}

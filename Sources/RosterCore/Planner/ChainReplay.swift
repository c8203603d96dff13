/// Gives the reason chains (`alice ← cn=ml-core → mapping ml-admins`) of one source's users,
/// by evaluating the mappings again with them.
///
/// The planner evaluates every user without chains: most users of a run do not change, and
/// their chains, a string and a dictionary entry per grant, were a large share of a resync's
/// time and memory. Only a user who becomes a change has them worked out, from the same
/// mappings and groups, so the texts are those a first evaluation would have given.
final class ChainReplay {
    private let engine: MappingEngine
    private let memberships: MembershipIndex
    private var cache: MatchCache

    init(engine: MappingEngine, memberships: MembershipIndex, cache: MatchCache) {
        self.engine = engine
        self.memberships = memberships
        self.cache = cache
    }

    /// Each grant's chain, by assignment key.
    func chains(of user: SourceUser) -> [String: String] {
        engine.evaluate(user, memberships: memberships, cache: &cache).chains
    }
}

import Foundation
import Synchronization

/// A snapshot's mapping evaluations, made on a thread of their own a couple of chunks ahead of
/// the identification, which takes them in the users' order. On a first sync planning is what
/// the run waits for, and the evaluations were half of its identification.
///
/// The identification must take every chunk: the thread waits for room before each.
///
/// `@unchecked Sendable`: `memberships` (a class that remembers the ancestors it has walked) is
/// used by the evaluating thread alone until it has made the last chunk, and read by others only
/// after taking that chunk, which the semaphores order; `chunks` is behind its mutex.
final class EvaluationsAhead: @unchecked Sendable {
    static let chunkSize = 4096
    /// Chunks that may be made ahead of the one being taken: bounds what is held at once.
    private static let chunksAhead = 2

    private let engine: MappingEngine
    private let memberships: MembershipIndex
    private let chunks = Mutex<[[MappingEvaluation?]]>([])
    /// What the evaluations learnt of the groups, set before the last chunk is handed over.
    private let finalCache = Mutex(MatchCache())
    private let made = DispatchSemaphore(value: 0)
    private let room = DispatchSemaphore(value: EvaluationsAhead.chunksAhead)

    init(engine: MappingEngine, memberships: MembershipIndex, users: [SourceUser]) {
        self.engine = engine
        self.memberships = memberships
        let thread = Thread { [self] in evaluate(users) }
        thread.name = "roster-mappings"
        // As much as the planning thread has: walks through nested groups recurse.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next chunk of `chunkSize` users' evaluations (the last may be shorter), without
    /// chains; nil for a user without an external id, whom identification skips.
    func next() -> [MappingEvaluation?] {
        made.wait()
        let chunk = chunks.withLock { $0.removeFirst() }
        room.signal()
        return chunk
    }

    /// The groups' name matches the evaluations made, for the chains worked out later to reuse;
    /// complete once the last chunk is taken.
    var matchCache: MatchCache { finalCache.withLock { $0 } }

    private func evaluate(_ users: [SourceUser]) {
        var cache = MatchCache()
        for start in stride(from: 0, to: users.count, by: Self.chunkSize) {
            room.wait()
            let end = min(start + Self.chunkSize, users.count)
            let chunk = users[start..<end].map { user in
                user.externalID.isEmpty
                    ? nil : engine.evaluate(user, memberships: memberships, cache: &cache, withChains: false)
            }
            if end == users.count { finalCache.withLock { $0 = cache } }
            chunks.withLock { $0.append(chunk) }
            made.signal()
        }
    }
}

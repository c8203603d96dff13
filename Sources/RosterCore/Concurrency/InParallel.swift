import Foundation
import Synchronization

/// Work split into parts run at once on Dispatch's threads, as many at a time as there are
/// cores: for the stretches of a run that would otherwise keep one core busy and leave the other
/// idle.
enum InParallel {
    /// `range` split into `pieces` runs (fewer when it is shorter; one, maybe empty, at least)
    /// whose lengths differ by one at most.
    static func split(_ range: Range<Int>, into pieces: Int) -> [Range<Int>] {
        let pieces = max(1, min(pieces, range.count))
        return (0..<pieces).map { piece in
            range.lowerBound + piece * range.count / pieces..<range.lowerBound + (piece + 1) * range.count / pieces
        }
    }

    /// `work` over each part, at once when there is more than one; the results in the parts' order.
    static func map<Result: Sendable>(_ parts: [Range<Int>], _ work: @Sendable (Range<Int>) -> Result) -> [Result] {
        guard parts.count > 1 else { return parts.map(work) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: parts.count))
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let made = work(parts[index])
            results.withLock { $0[index] = made }
        }
        return results.withLock { made in made.indices.map { made[$0].take()! } }
    }
}

import Foundation

/// Works out a planned change's reason chains when they are read (by the audit record, the JSON
/// plan), rather than when the change is planned. A first sync changes everyone, and holding
/// every chain text from planning until the last audit record was written was a sixth of its
/// peak memory; now each text lives as long as the record that carries it.
///
/// `@unchecked Sendable`: the replays' match caches are the only mutable state, and they are
/// read and written only while `lock` is held.
final class ChainResolver: @unchecked Sendable {
    private let lock = NSLock()
    private var replays: [ChainReplay]

    init(replays: [ChainReplay]) {
        self.replays = replays
    }

    /// Lets the source users and groups go once no change's chains will be read again (a
    /// reconcile that prints only the text plan, whose lines carry none): they would otherwise
    /// stay for as long as the plan does. Chains read afterwards are empty.
    func release() {
        lock.withLock { replays = [] }
    }

    /// The chains of `change.grantedAssignments`, as the mappings reach them for `subjects`,
    /// first source first.
    func chains(of subjects: SourceUserPositions, for change: UserChange) -> [String] {
        guard !subjects.isEmpty else { return [] }
        let granted = change.grantedAssignments
        guard !granted.isEmpty else { return [] }
        var evaluations: [MappingEvaluation] = []
        lock.withLock {
            for subject in subjects where replays.indices.contains(Int(subject.source)) {
                evaluations.append(replays[Int(subject.source)].evaluation(ofUserAt: Int(subject.user)))
            }
        }
        var result: [String] = []
        result.reserveCapacity(granted.count)
        for assignment in granted {
            // The first source that grants it says how. By index: a lazy map over the
            // evaluations copied each one (every array in it retained) for every grant.
            var chain: String?
            for index in evaluations.indices where chain == nil {
                chain = evaluations[index].chain(of: assignment)
            }
            guard let chain else { continue }
            if !result.contains(chain) { result.append(chain) }
        }
        return result
    }
}

import Dispatch
import RosterCore
import Synchronization

/// The audit events of a batch's changes, built a chunk ahead of the writer on another thread,
/// each with its `changes` and `reason` already written as canonical JSON.
///
/// A change's events (its reason chains above all) cost about as much CPU as writing its rows,
/// and the writer's transaction runs on one core: on a first sync the second core would
/// otherwise idle while the events of every change are built between its writes. Events are
/// handed over in order; besides the chunk being written, only the next one and those waiting
/// to be freed exist.
struct AuditEventPrefetch {
    typealias Prefetched = AuditEventBuilder.WrittenEvent

    /// What the writer and the building thread share: the changes and builder (immutable) and
    /// the built chunks (behind a lock).
    private final class Shared: Sendable {
        let changes: [UserChange]
        let build: @Sendable (UserChange) -> [Prefetched]
        let built = Mutex<[Int: [[Prefetched]]]>([:])
        /// Chunks the writer is done with: freed here, where they were made (freeing their
        /// JSON trees on the writer's thread cost it a tenth of a first sync).
        let written = Mutex<[[[Prefetched]]]>([])

        init(changes: [UserChange], build: @escaping @Sendable (UserChange) -> [Prefetched]) {
            self.changes = changes
            self.build = build
        }

        func buildChunk(_ index: Int, positions: Range<Int>) {
            let events = positions.map { build(changes[$0]) }
            built.withLock { $0[index] = events }
        }

        func take(_ index: Int) -> [[Prefetched]]? {
            built.withLock { $0.removeValue(forKey: index) }
        }

        /// Takes `chunk` over, leaving it empty: the caller keeps no reference to free.
        func discard(_ chunk: inout [[Prefetched]]) {
            written.withLock { $0.append(chunk) }
            chunk = []
        }

        func freeWritten() {
            // The chunks are released when this returns, on this thread.
            let chunks = written.withLock { chunks in
                defer { chunks = [] }
                return chunks
            }
            withExtendedLifetime(chunks) {}
        }
    }

    private let shared: Shared
    private let chunkSize: Int
    private let queue = DispatchQueue(label: "roster.audit-events")
    private var scheduled: [Int: DispatchWorkItem] = [:]
    private var currentIndex = -1
    private var current: [[Prefetched]] = []

    init(
        changes: [UserChange], chunkSize: Int = 256, build: @escaping @Sendable (UserChange) -> [Prefetched]
    ) {
        shared = Shared(changes: changes, build: build)
        self.chunkSize = max(chunkSize, 1)
        schedule(0)
    }

    /// The events of the change at `position`; positions are asked for in order.
    mutating func events(at position: Int) -> [Prefetched] {
        let index = position / chunkSize
        if index != currentIndex {
            // The next chunk is built while this one is written.
            schedule(index + 1)
            if let item = scheduled.removeValue(forKey: index) { item.wait() }
            var done = shared.take(index) ?? []
            swap(&done, &current)
            shared.discard(&done)
            let shared = self.shared
            queue.async { shared.freeWritten() }
            currentIndex = index
        }
        let offset = position - index * chunkSize
        guard current.indices.contains(offset) else {
            return shared.build(shared.changes[position])
        }
        return current[offset]
    }

    private mutating func schedule(_ index: Int) {
        let start = index * chunkSize
        guard start < shared.changes.count, scheduled[index] == nil, index > currentIndex else { return }
        let positions = start..<min(start + chunkSize, shared.changes.count)
        let shared = self.shared
        let item = DispatchWorkItem { shared.buildChunk(index, positions: positions) }
        scheduled[index] = item
        queue.async(execute: item)
    }
}

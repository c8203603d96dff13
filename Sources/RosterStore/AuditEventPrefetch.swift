import Dispatch
import RosterCore
import RosterCrypto
import Synchronization

/// The audit records of a batch's changes, built, chained, hashed and serialised a chunk ahead
/// of the writer on another thread: the writer only inserts their rows.
///
/// A change's records (their reason chains above all, then hashing and serialising them) cost
/// about as much CPU as writing its rows, and the writer's transaction runs on one core: on a
/// first sync the second core would otherwise idle while they are made between its writes.
/// Chunks are built in order on one serial queue, each chained on from the last record of the
/// one before. Besides the chunk being written, only the next one and those waiting to be freed
/// exist.
struct AuditEventPrefetch {
    /// A change's records, and the id they name its user by when it is a creation.
    struct Prepared {
        var newUserID: Int64?
        var records: [PreparedAuditRecord]
    }

    /// What the writer and the building thread share: the changes and builder (immutable), where
    /// the chain stands (touched only by the serial queue) and the built chunks.
    private final class Shared: Sendable {
        let changes: [UserChange]
        let build: @Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent]
        let time: String
        let runID: String?
        /// The last record built, and the id the next creation's user will be stored under.
        let chain: Mutex<(link: AuditLink, nextUserID: Int64)>
        let built = Mutex<[Int: [Prepared]]>([:])
        /// Chunks the writer is done with: freed here, where they were made (freeing them on the
        /// writer's thread cost it a tenth of a first sync).
        let written = Mutex<[[Prepared]]>([])

        init(
            changes: [UserChange], build: @escaping @Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent],
            after link: AuditLink, nextUserID: Int64, time: String, runID: String?
        ) {
            self.changes = changes
            self.build = build
            self.time = time
            self.runID = runID
            chain = Mutex((link, nextUserID))
        }

        func buildChunk(_ index: Int, positions: Range<Int>) {
            // One hasher per chunk: a hasher is not thread-safe, and one lookup of the algorithm
            // per 256 changes costs nothing.
            guard let hasher = try? SHA256Hasher() else { fatalError("SHA-256 is unavailable") }
            var (link, nextUserID) = chain.withLock { $0 }
            let chunk = positions.map { position in
                let change = changes[position]
                // Creations are stored under consecutive ids in batch order (`UserRowWriter`).
                let newUserID = change.action == .create ? nextUserID : nil
                if newUserID != nil { nextUserID += 1 }
                let records = build(change).map { written in
                    var event = written.event
                    if event.userID == 0 { event.userID = newUserID ?? change.after.id }
                    let record = PreparedAuditRecord(
                        event, prewritten: written.prewritten, after: link, time: time, runID: runID, hasher: hasher)
                    link = record.link
                    return record
                }
                return Prepared(newUserID: newUserID, records: records)
            }
            chain.withLock { $0 = (link, nextUserID) }
            built.withLock { $0[index] = chunk }
        }

        func take(_ index: Int) -> [Prepared]? {
            built.withLock { $0.removeValue(forKey: index) }
        }

        /// Takes `chunk` over, leaving it empty: the caller keeps no reference to free.
        func discard(_ chunk: inout [Prepared]) {
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
    private var current: [Prepared] = []

    /// - Parameters:
    ///   - link: the last record in the log when the first change's records are appended.
    ///   - nextUserID: the id the batch's first creation is stored under.
    init(
        changes: [UserChange], after link: AuditLink, nextUserID: Int64, time: String, runID: String?,
        chunkSize: Int = 256, build: @escaping @Sendable (UserChange) -> [AuditEventBuilder.WrittenEvent]
    ) {
        shared = Shared(
            changes: changes, build: build, after: link, nextUserID: nextUserID, time: time, runID: runID)
        self.chunkSize = max(chunkSize, 1)
        schedule(0)
    }

    /// The records of the change at `position`; positions are asked for in order, each once.
    /// Asked otherwise, it throws (the transaction rolls back) rather than chain records wrongly.
    mutating func records(at position: Int) throws -> Prepared {
        let index = position / chunkSize
        if index != currentIndex {
            guard index == currentIndex + 1 else {
                throw StoreError.invalidChange("the audit records of change \(position) were asked for out of order")
            }
            // The next chunk is built while this one is written.
            schedule(index + 1)
            scheduled.removeValue(forKey: index)?.wait()
            guard var done = shared.take(index) else {
                throw StoreError.invalidChange("the audit records of change \(position) were not built")
            }
            swap(&done, &current)
            shared.discard(&done)
            let shared = self.shared
            queue.async { shared.freeWritten() }
            currentIndex = index
        }
        return current[position - index * chunkSize]
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

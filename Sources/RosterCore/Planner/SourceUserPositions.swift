/// The source users behind a candidate or a change, first source first. Nearly always one:
/// that one is held inline, where an array was a heap block for every change of a first sync.
struct SourceUserPositions: Sendable, Sequence {
    fileprivate enum Storage: Sendable {
        case none
        case one(SourceUserPosition)
        case many([SourceUserPosition])
    }

    private let storage: Storage

    /// (A collection, so that the usual single position is taken without an array made for it.)
    init(_ positions: some Collection<SourceUserPosition>) {
        switch positions.count {
        case 0: storage = .none
        case 1: storage = .one(positions.first!)
        default: storage = .many(Array(positions))
        }
    }

    static let none = SourceUserPositions(EmptyCollection())

    var isEmpty: Bool {
        if case .none = storage { return true }
        return false
    }

    struct Iterator: IteratorProtocol {
        fileprivate let storage: Storage
        fileprivate var index = 0

        mutating func next() -> SourceUserPosition? {
            defer { index += 1 }
            switch storage {
            case .none: return nil
            case .one(let position): return index == 0 ? position : nil
            case .many(let positions): return index < positions.count ? positions[index] : nil
            }
        }
    }

    func makeIterator() -> Iterator { Iterator(storage: storage) }
}

/// Values to bind to one execution of a statement, held without a `String` or an enum of one
/// per value: text bytes end to end in one buffer, each value a slot naming its bytes. A batched
/// insert adds its rows' values here as they come (a first sync binds about six million values,
/// and keeping each as a `SQLiteValue` until the batch ran cost a tenth of the writing).
struct SQLiteBindings {
    enum Slot {
        case null
        case integer(Int64)
        case text(offset: Int, count: Int)
    }

    private(set) var slots: [Slot] = []
    /// The text values' UTF-8, in slot order.
    private(set) var bytes: [UInt8] = []

    var count: Int { slots.count }

    mutating func null() {
        slots.append(.null)
    }

    mutating func integer(_ value: Int64) {
        slots.append(.integer(value))
    }

    mutating func integer(_ value: Int64?) {
        if let value { integer(value) } else { null() }
    }

    mutating func bool(_ value: Bool) {
        slots.append(.integer(value ? 1 : 0))
    }

    mutating func text(_ value: String) {
        let offset = bytes.count
        bytes.append(contentsOf: value.utf8)
        slots.append(.text(offset: offset, count: bytes.count - offset))
    }

    /// A text value given as its UTF-8 bytes, which must be valid UTF-8 (SQLite stores them as
    /// they are).
    mutating func text(utf8 value: [UInt8]) {
        let offset = bytes.count
        bytes.append(contentsOf: value)
        slots.append(.text(offset: offset, count: value.count))
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func append(_ value: SQLiteValue) {
        switch value {
        case .null: null()
        case .integer(let integer): self.integer(integer)
        case .text(let text): self.text(text)
        }
    }

    mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}

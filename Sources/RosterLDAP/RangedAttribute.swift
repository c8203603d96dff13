/// One window of an attribute read in ranges (Active Directory's `member;range=0-1499`): the
/// server hands out at most MaxValRange values per response and names the window it sent; a
/// window ending in `*` is the last.
struct RangedAttribute: Equatable {
    /// The attribute description without its range option, lower-cased (`member`).
    var attribute: String
    var low: Int
    /// Nil for `*`: no values follow this window.
    var high: Int?

    /// Parses an attribute key as `DirectoryEntry` stores it (`member;range=1500-*`); nil when the
    /// key has no range option.
    init?(key: String) {
        let options = key.lowercased().split(separator: ";", omittingEmptySubsequences: false)
        guard let index = options.firstIndex(where: { $0.hasPrefix("range=") }), index > 0, !options[0].isEmpty
        else { return nil }
        let bounds = options[index].dropFirst("range=".count).split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let low = Int(bounds[0]), low >= 0 else { return nil }
        if bounds[1] == "*" {
            high = nil
        } else if let value = Int(bounds[1]), value >= low {
            high = value
        } else {
            return nil
        }
        self.low = low
        var rest = options
        rest.remove(at: index)
        attribute = rest.joined(separator: ";")
    }

    var isLast: Bool { high == nil }

    /// The attribute to request for the window starting at `low`: `member;range=500-999` with a
    /// size, `member;range=500-*` (as much as the server gives) without.
    static func request(_ attribute: String, from low: Int, size: Int?) -> String {
        let high = size.map { String(low + $0 - 1) } ?? "*"
        return "\(attribute);range=\(low)-\(high)"
    }
}

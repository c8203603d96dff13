/// Completes the ranged attributes of an entry: asks for the next window of each
/// (`member;range=1500-*`, or `member;range=1500-1999` with `range_size`) until a window ends in
/// `*`, and puts all values back under the plain attribute (`member`).
///
/// A window that does not come back, or comes back starting elsewhere than asked, leaves the
/// sequence unfinished: the read is incomplete (SPEC §4.1), never silently short.
struct RangedRetrieval {
    let connection: LDAPConnection
    /// `range_size`: values per window asked for; nil takes the server's windows.
    let rangeSize: Int?
    let timeout: Duration
    var isCancelled: () -> Bool = { false }

    func complete(_ entry: DirectoryEntry) throws(LDAPReadFailure) -> DirectoryEntry {
        var completed = entry
        for (key, firstValues) in entry.attributes {
            guard var window = RangedAttribute(key: key) else { continue }
            guard window.low == 0 else {
                throw unfinished(entry, "the first window of \(key) does not start at 0")
            }
            var values = firstValues
            while let high = window.high {
                guard !isCancelled() else { throw unfinished(entry, "the run was cancelled") }
                let next = try fetch(entry.dn, window.attribute, from: high + 1)
                guard let next else {
                    throw unfinished(
                        entry, "the server did not return \(window.attribute);range=\(high + 1)-… after \(key)")
                }
                values += next.values
                window = next.window
            }
            completed.remove(key)
            completed.add(window.attribute, values: values)
        }
        return completed
    }

    /// One window of `attribute` of the entry at `dn`, starting at `low`; nil when the server
    /// sent no such window.
    private func fetch(
        _ dn: String, _ attribute: String, from low: Int
    ) throws(LDAPReadFailure) -> (window: RangedAttribute, values: [[UInt8]])? {
        let entry = try EntryRead.entry(
            dn, attributes: [RangedAttribute.request(attribute, from: low, size: rangeSize)], on: connection,
            timeout: timeout, purpose: "ranged read of \(attribute) of \"\(dn)\"")
        for (key, values) in entry?.attributes ?? [:] {
            if let window = RangedAttribute(key: key), window.attribute == attribute, window.low == low {
                return (window, values)
            }
        }
        return nil
    }

    private func unfinished(_ entry: DirectoryEntry, _ problem: String) -> LDAPReadFailure {
        LDAPReadFailure(
            "\(connection.url): entry \"\(entry.dn)\": unfinished ranged retrieval: \(problem); the read is incomplete")
    }
}

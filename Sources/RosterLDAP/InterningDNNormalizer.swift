import RosterCore
import Synchronization

/// Normalises DNs for one read, remembering each result by the text the server sent.
///
/// A member DN is the same text in every group that names it, and as the user entry's own DN:
/// so each is parsed by libldap once however often it appears (parsing is most of a DN's cost
/// at 300,000 DNs a read), and the groups' member lists share the string of the user's
/// normalised DN instead of each holding a copy. Lives as long as one read.
final class InterningDNNormalizer: DNNormalizing {
    private let base: any DNNormalizing
    // A read runs on one thread; the lock only makes the normaliser safe to share by construction.
    private let normalized = Mutex<[HashedText: String]>([:])

    init(wrapping base: any DNNormalizing) {
        self.base = base
    }

    func normalize(_ dn: String) throws -> String {
        let key = HashedText(dn)
        if let known = normalized.withLock({ $0[key] }) { return known }
        var result = try base.normalize(dn)
        // A DN the server already sends in normal form (OpenLDAP keeps it as added, often in lower
        // case) is kept as the text it came in: the entry's DN and its normal form then share one
        // string, not two of every user's.
        if result == dn { result = dn }
        normalized.withLock { $0[key] = result }
        return result
    }

    /// A DN with its hash taken once. The DNs of one directory mostly have the same length, so
    /// comparing texts at every occupied slot a lookup probes would compare their bytes; the
    /// stored hash turns almost all of those into one integer comparison, and growing the table
    /// rehashes integers, not 100,000 DNs.
    private struct HashedText: Hashable {
        let text: String
        let hash: Int

        init(_ text: String) {
            self.text = text
            self.hash = text.hashValue
        }

        static func == (left: HashedText, right: HashedText) -> Bool {
            left.hash == right.hash && left.text == right.text
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }
    }
}

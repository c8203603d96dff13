import Foundation

/// What Active Directory says about an account beyond its mapped attributes: when it expires,
/// and which group is its primary group (a membership AD does not list in `member`).
enum ActiveDirectoryAccount {
    // Folded once: every user of every read is asked for them.
    private static let expiresKey = DirectoryEntry.key("accountExpires")
    private static let securityIDKey = DirectoryEntry.key("objectSid")
    private static let primaryGroupKey = DirectoryEntry.key("primaryGroupID")

    /// `accountExpires` counts 100-nanosecond intervals since 1601-01-01 UTC; 0 and
    /// 0x7FFFFFFFFFFFFFFF both mean "never".
    static func hasExpired(_ entry: DirectoryEntry, at now: Date) -> Bool {
        guard let text = entry.string(key: expiresKey),
            let ticks = Int64(text.trimmingCharacters(in: .whitespaces)), ticks > 0, ticks != Int64.max
        else { return false }
        return expiry(ticks: ticks) <= now
    }

    /// The moment an `accountExpires` value names.
    static func expiry(ticks: Int64) -> Date {
        // Seconds from 1601-01-01 to 1970-01-01.
        let epochOffset: Double = 11_644_473_600
        return Date(timeIntervalSince1970: Double(ticks) / 10_000_000 - epochOffset)
    }

    /// The entry's `objectSid` in `S-1-5-21-…` form.
    static func securityID(_ entry: DirectoryEntry) -> String? {
        entry.values(key: securityIDKey).lazy.compactMap(AttributeValue.securityIdentifier).first
    }

    /// The primary group's SID: the user's own SID with its last part (the RID) replaced by
    /// `primaryGroupID`. This is what the group's `primaryGroupToken` (its RID) points at; the
    /// token is a constructed attribute that a subtree search cannot return, the group's
    /// `objectSid` can.
    static func primaryGroupSID(_ entry: DirectoryEntry) -> String? {
        guard let text = entry.string(key: primaryGroupKey),
            let rid = UInt32(text.trimmingCharacters(in: .whitespaces)),
            let sid = securityID(entry), let cut = sid.lastIndex(of: "-")
        else { return nil }
        return "\(sid[..<cut])-\(rid)"
    }
}

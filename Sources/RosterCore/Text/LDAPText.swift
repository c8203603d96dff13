import Foundation

/// Comparison rules for LDAP names and values: case-insensitive with Unicode case folding,
/// as LDAP's caseIgnoreMatch does (`Ä` equals `ä`, `ß` equals `SS`).
public enum LDAPText {
    /// The folded key two LDAP strings compare equal by.
    public static func fold(_ text: String) -> String {
        asciiFold(text) ?? text.folding(options: [.caseInsensitive], locale: nil)
    }

    /// `fold` of an all-ASCII string, where case folding is mapping A–Z to a–z; nil for any other
    /// string. Emails, usernames and DNs are nearly always ASCII, and Foundation's folding costs
    /// a great deal more than this scan: the planner folds every user's keys on every run.
    static func asciiFold(_ text: String) -> String? {
        var hasUpper = false
        for byte in text.utf8 {
            if byte >= 0x80 { return nil }
            if byte &- UInt8(ascii: "A") < 26 { hasUpper = true }
        }
        guard hasUpper else { return text }
        return String(
            unsafeUninitializedCapacity: text.utf8.count,
            initializingUTF8With: { buffer in
                var count = 0
                for byte in text.utf8 {
                    buffer[count] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                    count += 1
                }
                return count
            })
    }

    public static func equalIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        lhs == rhs || fold(lhs) == fold(rhs)
    }

    /// The key for admins' searches and sorting: case- and accent-insensitive, with letters that
    /// have no decomposition spelled the ASCII way too (`Ł` → `l`, `ß` → `ss`, `Ø` → `o`).
    public static func searchKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        guard !folded.allSatisfy(\.isASCII) else { return folded }
        return folded.applyingTransform(StringTransform("Latin-ASCII"), reverse: false)?.lowercased() ?? folded
    }
}

import Foundation

/// Comparison rules for LDAP names and values: case-insensitive with Unicode case folding,
/// as LDAP's caseIgnoreMatch does (`Ä` equals `ä`, `ß` equals `SS`).
public enum LDAPText {
    /// The folded key two LDAP strings compare equal by.
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive], locale: nil)
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

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
    public static func asciiFold(_ text: String) -> String? {
        // Over the contiguous bytes where the string has them (native strings do): iterating
        // `utf8` index by index costs several times more, and DNs are folded by the hundred thousand.
        let scanned = text.utf8.withContiguousStorageIfAvailable { bytes in asciiScan(bytes) } ?? asciiScan(text.utf8)
        guard scanned.isASCII else { return nil }
        guard scanned.hasUpper else { return text }
        var source = text
        return source.withUTF8 { bytes in
            String(
                unsafeUninitializedCapacity: bytes.count,
                initializingUTF8With: { buffer in
                    for index in bytes.indices {
                        let byte = bytes[index]
                        buffer[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                    }
                    return bytes.count
                })
        }
    }

    private static func asciiScan(_ bytes: some Sequence<UInt8>) -> (isASCII: Bool, hasUpper: Bool) {
        var hasUpper = false
        for byte in bytes {
            if byte >= 0x80 { return (false, false) }
            if byte &- UInt8(ascii: "A") < 26 { hasUpper = true }
        }
        return (true, hasUpper)
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

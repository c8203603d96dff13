import Foundation

/// Values from a directory shown in tables, plans and CSV: control characters (a newline in a
/// name, an escape sequence) would break the one-line layouts and terminals, so they go.
public enum DisplayText {
    public static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isControl($0) }))
            .trimmingCharacters(in: .whitespaces)
    }

    /// `text.padding(toLength: length, withPad: " ", startingAt: 0)`: spaces up to `length`
    /// UTF-16 units (Foundation's measure), cut to it when longer. Plans pad every line: the
    /// common case, a shorter text, is done here without going through NSString.
    public static func padded(_ text: String, toLength length: Int) -> String {
        let units = text.utf16.count
        if units == length { return text }
        if units > length { return text.padding(toLength: length, withPad: " ", startingAt: 0) }
        return text + String(repeating: " ", count: length - units)
    }

    /// `text.count`: its characters, counted as bytes when it is ASCII (one character a byte),
    /// without finding grapheme boundaries. A plan measures every line's email and details.
    static func characterCount(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
        return ascii ? text.utf8.count : text.count
    }

    /// General category Cc, which is exactly U+0000–U+001F and U+007F–U+009F: compared by value
    /// because looking up the property costs more than every other check on a name.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

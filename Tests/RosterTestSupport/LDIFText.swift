import Foundation

/// Writes LDIF (RFC 2849) for the directories test servers are loaded with.
public enum LDIFText {
    /// `name: value`, or `name:: base64` where RFC 2849 requires it (non-ASCII, leading space…).
    public static func line(_ field: (String, String)) -> String {
        let (name, value) = field
        let safe =
            value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && !(value.first.map { [" ", ":", "<"].contains($0) } ?? false) && !value.hasSuffix(" ")
        return safe ? "\(name): \(value)" : "\(name):: \(Data(value.utf8).base64EncodedString())"
    }

    /// One record: its lines, no blank line after it.
    public static func record(_ fields: [(String, String)]) -> String {
        fields.map(line).joined(separator: "\n")
    }
}

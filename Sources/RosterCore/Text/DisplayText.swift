import Foundation

/// Values from a directory shown in tables, plans and CSV: control characters (a newline in a
/// name, an escape sequence) would break the one-line layouts and terminals, so they go.
public enum DisplayText {
    public static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return String(
            String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .control })
        )
        .trimmingCharacters(in: .whitespaces)
    }
}

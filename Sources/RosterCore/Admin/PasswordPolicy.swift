/// What Roster accepts as a new local password, and how it reads one from a pipe or a file.
public enum PasswordPolicy {
    public static let minimumLength = 8
    /// scrypt takes any length; a cap keeps a mistaken file (an image, a log) from becoming a password.
    public static let maximumBytes = 1024

    /// The password in `text` as read from stdin or a file: one trailing line break (`echo`,
    /// editors) is not part of it; everything else is.
    public static func fromInput(_ text: String) -> String {
        // "\r\n" is one Character in Swift: dropping the last one drops either ending whole.
        guard let last = text.last, last == "\n" || last == "\r\n" else { return text }
        return String(text.dropLast())
    }

    /// Why `password` cannot be set, or nil when it can. Never includes the password.
    public static func problem(_ password: String) -> String? {
        if password.isEmpty { return "the password is empty; give one of at least \(minimumLength) characters" }
        if password.count < minimumLength {
            return "the password has \(password.count) characters; give at least \(minimumLength)"
        }
        if password.utf8.count > maximumBytes {
            return "the password is longer than \(maximumBytes) bytes; give a shorter one"
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the password contains control characters (a second line, a tab); give one line of text"
        }
        return nil
    }
}

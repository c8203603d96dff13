/// The email rule of SPEC §2: a valid address, unique case-insensitively among non-deleted users.
public enum EmailAddress {
    /// Why `text` is not a usable address, or nil when it is.
    public static func problem(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return "no email address" }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "invalid email address \"\(text)\": it needs exactly one @" }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, !domain.isEmpty else { return "invalid email address \"\(text)\"" }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return
                "invalid email address \"\(text)\": its local part may not start or end with a dot or hold two in a row"
        }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," || $0 == "<" || $0 == ">" })
        else { return "invalid email address \"\(text)\": it contains spaces or separators" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else { return "invalid email address \"\(text)\": the domain needs a dot and no empty labels" }
        return nil
    }

    /// The key emails compare by.
    public static func key(_ text: String) -> String { LDAPText.fold(text) }
}

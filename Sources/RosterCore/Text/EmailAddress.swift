/// The email rule of SPEC §2: a valid address, unique case-insensitively among non-deleted users.
public enum EmailAddress {
    /// Why `text` is not a usable address, or nil when it is.
    public static func problem(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return "no email address" }
        // Nearly every address is ASCII, where characters are bytes (a CR LF pair aside, which no
        // rule but the separator one looks at): checked byte by byte, without grapheme breaking.
        let failure = text.utf8.allSatisfy { $0 < 0x80 } ? asciiFailure(text.utf8) : unicodeFailure(text)
        switch failure {
        case nil: return nil
        case .at: return "invalid email address \"\(text)\": it needs exactly one @"
        case .emptyPart: return "invalid email address \"\(text)\""
        case .dots:
            return
                "invalid email address \"\(text)\": its local part may not start or end with a dot or hold two in a row"
        case .separator: return "invalid email address \"\(text)\": it contains spaces or separators"
        case .domain: return "invalid email address \"\(text)\": the domain needs a dot and no empty labels"
        }
    }

    /// The key emails compare by.
    public static func key(_ text: String) -> String { LDAPText.fold(text) }

    /// The first rule an address breaks, in the order they are checked.
    enum Failure {
        case at, emptyPart, dots, separator, domain
    }

    static func unicodeFailure(_ text: String) -> Failure? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .at }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, !domain.isEmpty else { return .emptyPart }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return .dots }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," || $0 == "<" || $0 == ">" })
        else { return .separator }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else { return .domain }
        return nil
    }

    /// `unicodeFailure` for ASCII text, whose whitespace is TAB…CR and space.
    static func asciiFailure(_ text: String.UTF8View) -> Failure? {
        text.withContiguousStorageIfAvailable(asciiFailure(bytes:))
            ?? Array(text).withUnsafeBufferPointer(asciiFailure(bytes:))
    }

    /// One pass or two over the bytes, with no slices or arrays: a first sync checks every
    /// address, and splitting each into parts cost a fifth of planning.
    private static func asciiFailure(bytes: UnsafeBufferPointer<UInt8>) -> Failure? {
        let (at, dot, hyphen) = (UInt8(ascii: "@"), UInt8(ascii: "."), UInt8(ascii: "-"))
        var atIndex: Int?
        for index in bytes.indices where bytes[index] == at {
            guard atIndex == nil else { return .at }
            atIndex = index
        }
        guard let atIndex else { return .at }
        guard atIndex > 0, atIndex < bytes.count - 1 else { return .emptyPart }
        guard bytes[0] != dot, bytes[atIndex - 1] != dot else { return .dots }
        for index in 1..<atIndex where bytes[index] == dot && bytes[index - 1] == dot { return .dots }
        for byte in bytes {
            switch byte {
            case 0x09...0x0D, 0x20, UInt8(ascii: ","), UInt8(ascii: "<"), UInt8(ascii: ">"): return .separator
            default: continue
            }
        }
        var labels = 0
        var labelStart = atIndex + 1
        for index in labelStart...bytes.count where index == bytes.count || bytes[index] == dot {
            guard index > labelStart, bytes[labelStart] != hyphen, bytes[index - 1] != hyphen else { return .domain }
            labels += 1
            labelStart = index + 1
        }
        return labels >= 2 ? nil : .domain
    }
}

import Foundation

/// How attribute values, which LDAP hands over as bytes, become strings.
public enum AttributeValue {
    /// The value as text when it is valid UTF-8 without control characters (other than tab,
    /// CR, LF); nil for binary values such as `objectGUID` or `jpegPhoto`.
    public static func text(_ bytes: [UInt8]) -> String? {
        var index = 0
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            // C0 controls and DEL; C1 controls are U+0080…U+009F, encoded C2 80…C2 9F.
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F { return nil }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return nil }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        // ASCII is valid UTF-8 as it is; the validating initialiser (generic) costs more per value.
        return isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    /// A value for display and for `attribute` selectors: text as is, an `objectGUID` in its
    /// canonical GUID form, an `objectSid` as `S-1-5-21-…`, any other binary value as base64.
    public static func display(_ bytes: [UInt8], attribute: String) -> String {
        display(bytes, form: BinaryForm(attribute: attribute))
    }

    /// How a binary attribute is written as text.
    enum BinaryForm {
        case guid
        case securityIdentifier
        case base64

        init(attribute: String) {
            switch DirectoryEntry.key(attribute) {
            case "objectguid": self = .guid
            case "objectsid": self = .securityIdentifier
            default: self = .base64
            }
        }
    }

    static func display(_ bytes: [UInt8], form: BinaryForm) -> String {
        switch form {
        case .guid: if let guid = guid(bytes) { return guid }
        case .securityIdentifier: if let sid = securityIdentifier(bytes) { return sid }
        case .base64: break
        }
        return text(bytes) ?? Data(bytes).base64EncodedString()
    }

    static func isGUIDAttribute(_ attribute: String) -> Bool {
        DirectoryEntry.key(attribute) == "objectguid"
    }

    /// A binary SID (MS-DTYP §2.4.2: revision, sub-authority count, a 48-bit big-endian
    /// authority, then little-endian 32-bit sub-authorities) in its `S-1-5-21-…-513` form.
    public static func securityIdentifier(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 8 else { return nil }
        let count = Int(bytes[1])
        guard bytes[0] == 1, bytes.count == 8 + 4 * count else { return nil }
        let authority = bytes[2..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var parts = ["S", "1", String(authority)]
        for index in 0..<count {
            let offset = 8 + 4 * index
            let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
            parts.append(String(value))
        }
        return parts.joined(separator: "-")
    }

    /// A value used as a stable external id: an `objectGUID` (or any other 16-byte binary value)
    /// in canonical GUID form, text as is, other binary values as lower-case hex.
    public static func identifier(_ bytes: [UInt8], attribute: String) -> String {
        if isGUIDAttribute(attribute), let guid = guid(bytes) { return guid }
        if let text = text(bytes) { return text }
        return guid(bytes) ?? bytes.map { hex($0) }.joined()
    }

    /// Active Directory's GUID string form: the first three fields little-endian, the rest in
    /// order (`objectGUID` bytes `10 32 54 76 98 BA DC FE …` → `76543210-ba98-fedc-…`).
    public static func guid(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        return order.map { $0 < 0 ? "-" : hex(bytes[$0]) }.joined()
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}

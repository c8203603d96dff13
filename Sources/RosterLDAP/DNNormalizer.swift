import Foundation
import RosterCore

/// Normalises DNs with libldap: parsed by `ldap_str2dn`, re-serialised by `ldap_dn2str`, then
/// case-folded as LDAP's caseIgnoreMatch does.
///
/// So `CN=Data\2C Team, OU=x` and `cn=data\, team,ou=x` give the same string, as do
/// `sn=b+cn=a` and `CN=A+SN=B`. Attribute types are compared by name, not by OID: `2.5.4.3=x`
/// and `cn=x` stay different (that needs the server's schema).
public struct LDAPDNNormalizer: DNNormalizing {
    public init() {}

    /// Throws `LDAPError` naming `dn` when it is not a valid LDAPv3 DN.
    public func normalize(_ dn: String) throws -> String {
        try Self.normalized(dn)
    }

    /// The typed-throws form of `normalize`.
    public static func normalized(_ dn: String) throws(LDAPError) -> String {
        if let plain = plainNormalized(dn) { return plain }
        return try parsedNormalized(dn)
    }

    /// `normalized` through libldap, whatever the DN.
    static func parsedNormalized(_ dn: String) throws(LDAPError) -> String {
        let parsed = try DistinguishedName(dn)
        parsed.sortMultiValuedRDNs()
        return fold(try parsed.serialized())
    }

    /// The normal form of a plain DN, whose every RDN is one `type=value` with a type of letters,
    /// digits and hyphens led by a letter and a non-empty value of letters, digits, `.`, `-` and
    /// `_` (`uid=alice,ou=people,dc=example,dc=org`): libldap would give it back as it is, so it
    /// is only folded. Nil for any other DN (spaces, escapes, `+`, quotes, numeric types,
    /// anything not ASCII), which libldap parses.
    ///
    /// A read normalises every user's DN and every member value; parsing the plain ones was a
    /// fifth of the read.
    static func plainNormalized(_ dn: String) -> String? {
        let plain = dn.utf8.withContiguousStorageIfAvailable(isPlain) ?? Array(dn.utf8).withUnsafeBufferPointer(isPlain)
        guard plain else { return nil }
        return LDAPText.asciiFold(dn)
    }

    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Where in an RDN the scan is: the type's first character, the rest of the type, the
        // value's first character, the rest of the value.
        enum Part { case typeStart, type, valueStart, value }
        var part = Part.typeStart
        for byte in bytes {
            let letter = (byte | 0x20) &- UInt8(ascii: "a") < 26
            let digit = byte &- UInt8(ascii: "0") < 10
            switch part {
            case .typeStart:
                guard letter else { return false }
                part = .type
            case .type:
                if byte == UInt8(ascii: "=") {
                    part = .valueStart
                } else if !(letter || digit || byte == UInt8(ascii: "-")) {
                    return false
                }
            case .valueStart, .value:
                if byte == UInt8(ascii: ",") {
                    guard part == .value else { return false }
                    part = .typeStart
                } else if letter || digit || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
                {
                    part = .value
                } else {
                    return false
                }
            }
        }
        return part == .value
    }

    /// `LDAPText.fold`, then NFC so that a name typed precomposed or decomposed is one key, also
    /// byte for byte. Most DNs are ASCII, where both come down to lower-casing A–Z (and that is
    /// several times faster, which counts with tens of thousands of members).
    private static func fold(_ text: String) -> String {
        if let ascii = LDAPText.asciiFold(text) { return ascii }
        return LDAPText.fold(text).precomposedStringWithCanonicalMapping
    }

    /// Whether an entry is in the subtree of `base` (the base entry itself included), both DNs
    /// already normalised by this type.
    ///
    /// In the normalised form every comma inside a value is escaped as `\2c`, so a bare comma is
    /// always an RDN boundary: `ou=people2,dc=x` is not under `ou=people,dc=x`, nor is
    /// `cn=a\2cou=people,dc=x` under `ou=people,dc=x`.
    public static func isWithin(_ normalizedDN: String, base normalizedBase: String) -> Bool {
        if normalizedBase.isEmpty || normalizedDN == normalizedBase { return true }
        return normalizedDN.hasSuffix("," + normalizedBase)
    }

    /// Whether `dn` is in the subtree of `base`: both are normalised first.
    public func isWithin(_ dn: String, base: String) throws -> Bool {
        Self.isWithin(try normalize(dn), base: try normalize(base))
    }
}

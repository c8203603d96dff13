import RosterCore

/// One entry as a directory or an LDIF file gives it: its DN and its attribute values as bytes.
///
/// Attribute names are kept lower-cased, as LDAP compares them, and without the `;binary`
/// transfer option (`objectGUID;binary` is `objectguid`); other options (`cn;lang-de`) stay.
public struct DirectoryEntry: Sendable, Hashable {
    /// The DN as written in the source.
    public var dn: String
    public private(set) var attributes: [String: [[UInt8]]]

    public init(dn: String, attributes: [String: [[UInt8]]] = [:]) {
        self.dn = dn
        self.attributes = [:]
        for (name, values) in attributes { add(name, values: values) }
    }

    /// Appends values to an attribute (given by any spelling of its description).
    public mutating func add(_ attribute: String, values: [[UInt8]]) {
        attributes[Self.key(attribute), default: []].append(contentsOf: values)
    }

    /// Drops an attribute (given by any spelling of its description).
    public mutating func remove(_ attribute: String) {
        attributes[Self.key(attribute)] = nil
    }

    /// True when some attribute came as one window of a ranged read (`member;range=0-1499`).
    var hasRangedValues: Bool {
        // Only a key with an option can be ranged; most entries have none.
        attributes.keys.contains { Self.hasOption($0) && RangedAttribute(key: $0) != nil }
    }

    public func values(_ attribute: String) -> [[UInt8]] {
        attributes[Self.key(attribute)] ?? []
    }

    /// The values that are UTF-8 text; others are left out.
    public func strings(_ attribute: String) -> [String] {
        values(attribute).compactMap(AttributeValue.text)
    }

    /// The first value as UTF-8 text, nil when absent, empty or not text.
    public func string(_ attribute: String) -> String? {
        strings(attribute).first { !$0.isEmpty }
    }

    public func has(_ attribute: String) -> Bool {
        values(attribute).contains { !$0.isEmpty }
    }

    /// `objectGUID;Binary` → `objectguid`.
    static func key(_ description: String) -> String {
        guard hasOption(description) else {
            // Names are ASCII in practice; the scan costs less than `lowercased()` at every attribute.
            return LDAPText.asciiFold(description) ?? description.lowercased()
        }
        let parts = description.lowercased().split(separator: ";", omittingEmptySubsequences: false)
        return parts.filter { $0 != "binary" }.joined(separator: ";")
    }

    /// Whether an attribute description has options (`member;range=0-1499`); asked of every
    /// attribute of every entry, so over the contiguous bytes where there are some.
    private static func hasOption(_ description: String) -> Bool {
        let separator = UInt8(ascii: ";")
        return description.utf8.withContiguousStorageIfAvailable { $0.contains(separator) }
            ?? description.utf8.contains(separator)
    }
}

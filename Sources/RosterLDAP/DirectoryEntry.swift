import RosterCore

/// One entry as a directory or an LDIF file gives it: its DN and its attribute values as bytes.
///
/// Attribute names are kept lower-cased, as LDAP compares them, and without the `;binary`
/// transfer option (`objectGUID;binary` is `objectguid`); other options (`cn;lang-de`) stay.
public struct DirectoryEntry: Sendable, Hashable {
    /// The DN as written in the source.
    public var dn: String
    /// Each attribute once, in the order the source first gave it. A list, not a dictionary: an
    /// entry has a handful of attributes, and scanning a few short keys costs less than hashing
    /// every name at every insert and lookup (a read decodes 100,000 entries and more).
    public private(set) var fields: [Field] = []

    /// One attribute: its key (see `key(_:)`) and its values.
    public struct Field: Sendable, Hashable {
        public var key: String
        public var values: [[UInt8]]
    }

    public init(dn: String, attributes: [String: [[UInt8]]] = [:]) {
        self.dn = dn
        for (name, values) in attributes { add(name, values: values) }
    }

    /// The attributes by key (order does not count).
    public var attributes: [String: [[UInt8]]] {
        Dictionary(fields.lazy.map { ($0.key, $0.values) }, uniquingKeysWith: +)
    }

    public static func == (left: DirectoryEntry, right: DirectoryEntry) -> Bool {
        left.dn == right.dn && left.attributes == right.attributes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dn)
        hasher.combine(attributes)
    }

    /// Room for `count` attributes: an entry decoded from the wire grows its list once, not by
    /// doubling from one.
    mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends values to an attribute (given by any spelling of its description).
    public mutating func add(_ attribute: String, values: [[UInt8]]) {
        add(key: Self.key(attribute), values: values)
    }

    /// Appends values to the attribute of an already folded key.
    mutating func add(key: String, values: [[UInt8]]) {
        if let index = fields.firstIndex(where: { $0.key == key }) {
            fields[index].values.append(contentsOf: values)
        } else {
            fields.append(Field(key: key, values: values))
        }
    }

    /// Drops an attribute (given by any spelling of its description).
    public mutating func remove(_ attribute: String) {
        let key = Self.key(attribute)
        fields.removeAll { $0.key == key }
    }

    /// True when some attribute came as one window of a ranged read (`member;range=0-1499`).
    var hasRangedValues: Bool {
        // Only a key with an option can be ranged; most entries have none.
        fields.contains { Self.hasOption($0.key) && RangedAttribute(key: $0.key) != nil }
    }

    public func values(_ attribute: String) -> [[UInt8]] {
        values(key: Self.key(attribute))
    }

    /// The values of an already folded key (`key(_:)`), for callers that ask at every entry.
    func values(key: String) -> [[UInt8]] {
        for field in fields where field.key == key { return field.values }
        return []
    }

    /// The values that are UTF-8 text; others are left out.
    public func strings(_ attribute: String) -> [String] {
        strings(key: Self.key(attribute))
    }

    func strings(key: String) -> [String] {
        values(key: key).compactMap(AttributeValue.text)
    }

    /// The first value as UTF-8 text, nil when absent, empty or not text.
    public func string(_ attribute: String) -> String? {
        string(key: Self.key(attribute))
    }

    func string(key: String) -> String? {
        for value in values(key: key) where !value.isEmpty {
            if let text = AttributeValue.text(value) { return text }
        }
        return nil
    }

    public func has(_ attribute: String) -> Bool {
        has(key: Self.key(attribute))
    }

    func has(key: String) -> Bool {
        values(key: key).contains { !$0.isEmpty }
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

    /// The key of a description as the server sent it (bytes): an ASCII name without options
    /// is folded straight into its string, without a string of the name as sent first.
    static func key(bytes: UnsafeRawBufferPointer) -> String {
        var hasUpper = false
        for byte in bytes {
            if byte >= 0x80 || byte == UInt8(ascii: ";") { return key(String(decoding: bytes, as: UTF8.self)) }
            if byte &- UInt8(ascii: "A") < 26 { hasUpper = true }
        }
        guard hasUpper else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }

    /// Whether an attribute description has options (`member;range=0-1499`); asked of every
    /// attribute of every entry, so over the contiguous bytes where there are some.
    private static func hasOption(_ description: String) -> Bool {
        let separator = UInt8(ascii: ";")
        return description.utf8.withContiguousStorageIfAvailable { $0.contains(separator) }
            ?? description.utf8.contains(separator)
    }
}

import Foundation

/// Writes JSON text in the audit chain's canonical form: keys sorted by code point, no
/// whitespace, `/` and non-ASCII written as is, only `"`, `\` and control characters escaped.
/// These are the bytes Python's `json.dumps(value, sort_keys=True, separators=(",", ":"),
/// ensure_ascii=False)` gives, and those Foundation's `JSONEncoder` gave with `.sortedKeys` and
/// `.withoutEscapingSlashes` before this writer replaced it: every stored hash depends on them.
///
/// Written by hand because the audit log encodes every record twice per change (the hashed form
/// and the stored document): through `JSONEncoder` that was most of a first sync's time.
public struct CanonicalJSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Set when a value has no JSON form (a non-finite double); the caller decides what to write then.
    public private(set) var failed = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendRaw("null")
        case .bool(let bool): appendRaw(bool ? "true" : "false")
        case .int(let int): appendText(String(int))
        case .double(let double): writeDouble(double)
        case .string(let string): write(string)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in array.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            // UTF-8 byte order is code point order, which is what Python's sort_keys uses.
            let members = object.sorted { Self.bytesPrecede($0.key, $1.key) }
            for (position, member) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeKey(member.key)
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `left`'s UTF-8 bytes sort before `right`'s, compared in place where the strings
    /// have them contiguous (every record sorts the keys of its objects).
    static func bytesPrecede(_ left: String, _ right: String) -> Bool {
        let inPlace = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                leftBytes.lexicographicallyPrecedes(rightBytes)
            }
        }
        guard let bothContiguous = inPlace, let precedes = bothContiguous else {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return precedes
    }

    /// `"key":`; the caller writes the members of an object in sorted order and the commas.
    public mutating func writeKey(_ key: String) {
        write(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string literal.
    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { appendEscaped($0) }
    }

    /// An array of string literals.
    public mutating func writeArray(_ strings: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (position, string) in strings.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            write(string)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Raw bytes of JSON punctuation or keys known to need no escaping.
    public mutating func appendRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Bytes already in canonical form (a part of another writer's output).
    public mutating func appendBytes(_ raw: ArraySlice<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    private mutating func appendText(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            // Bytes of multi-byte UTF-8 sequences are all >= 0x80: they pass through unchanged.
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            default:
                // \u00XX in lower-case hex, as both Python and JSONEncoder write it.
                appendRaw("u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Doubles are rare (OIDC claims) and their shortest form has subtle rules: `JSONEncoder`
    /// writes them, so their text stays exactly what it was.
    private mutating func writeDouble(_ double: Double) {
        guard double.isFinite, let data = try? JSONEncoder().encode(double) else {
            failed = true
            appendRaw("null")
            return
        }
        bytes.append(contentsOf: data)
    }
}

extension JSONValue {
    /// The canonical form hashed by the audit chain: sorted keys, no whitespace, `/` unescaped
    /// (see `CanonicalJSONWriter`); `null` for a value holding a non-finite double.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.write(self)
        return writer.failed ? Array("null".utf8) : writer.bytes
    }

    public var canonicalData: Data { Data(canonicalBytes) }

    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }
}

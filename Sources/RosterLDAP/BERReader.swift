import CLDAP

/// Why a control or message value could not be decoded.
struct BERDecodingError: Error, CustomStringConvertible {
    var description: String
}

/// Reads one BER-encoded value (a control's or an intermediate response's) with liblber: the
/// only owner of the `BerElement *` from `ber_init`, which holds a copy of the bytes and which it
/// frees with `ber_free` in `deinit`.
final class BERReader {
    private let ber: OpaquePointer
    /// What is being decoded (`the sync state control`), for messages.
    private let what: String

    init(_ bytes: [UInt8], what: String) throws(BERDecodingError) {
        self.what = what
        var copy = bytes
        let created = copy.withUnsafeMutableBytes { buffer -> OpaquePointer? in
            var value = berval(
                bv_len: ber_len_t(buffer.count), bv_val: buffer.baseAddress?.assumingMemoryBound(to: CChar.self))
            // ber_init copies the bytes.
            return ber_init(&value)
        }
        guard let created else { throw BERDecodingError(description: "\(what): out of memory") }
        ber = created
    }

    deinit {
        ber_free(ber, 1)
    }

    /// The tag of the next element, nil at the end of the value (or of what is left of it).
    func peekTag() -> ber_tag_t? {
        var length: ber_len_t = 0
        let tag = ber_peek_tag(ber, &length)
        return tag == ROSTER_LBER_ERROR ? nil : tag
    }

    /// Enters a constructed element (a SEQUENCE, or a tagged choice): what follows is its content.
    func enter(_ tag: ber_tag_t) throws(BERDecodingError) {
        var length: ber_len_t = 0
        let found = ber_skip_tag(ber, &length)
        guard found == tag else { throw unexpected(found, wanted: tag) }
    }

    func enumerated() throws(BERDecodingError) -> Int {
        var value: ber_int_t = 0
        let found = ber_get_enum(ber, &value)
        guard found == ROSTER_LBER_ENUMERATED else { throw unexpected(found, wanted: ROSTER_LBER_ENUMERATED) }
        return Int(value)
    }

    func boolean() throws(BERDecodingError) -> Bool {
        var value: ber_int_t = 0
        let found = ber_get_boolean(ber, &value)
        guard found == ROSTER_LBER_BOOLEAN else { throw unexpected(found, wanted: ROSTER_LBER_BOOLEAN) }
        return value != 0
    }

    /// An OCTET STRING, or an implicitly tagged one (`newcookie [0] syncCookie`).
    func octetString(_ tag: ber_tag_t = ROSTER_LBER_OCTETSTRING) throws(BERDecodingError) -> [UInt8] {
        guard peekTag() == tag else { throw unexpected(peekTag() ?? ROSTER_LBER_ERROR, wanted: tag) }
        var value = berval()
        // Without LBER_BV_ALLOC the value points into the element; it is copied at once.
        guard ber_get_stringbv(ber, &value, LBER_BV_NOTERM) == tag else {
            throw BERDecodingError(description: "\(what): a damaged octet string")
        }
        guard let start = value.bv_val, value.bv_len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: Int(value.bv_len)))
    }

    /// The octet string that comes next, if the next element is one.
    func optionalOctetString() throws(BERDecodingError) -> [UInt8]? {
        peekTag() == ROSTER_LBER_OCTETSTRING ? try octetString() : nil
    }

    /// The boolean that comes next, or `default` when it was left out (a DER `DEFAULT`).
    func optionalBoolean(default value: Bool) throws(BERDecodingError) -> Bool {
        peekTag() == ROSTER_LBER_BOOLEAN ? try boolean() : value
    }

    /// Every OCTET STRING of a `SET OF OCTET STRING`.
    func setOfOctetStrings() throws(BERDecodingError) -> [[UInt8]] {
        guard peekTag() == ROSTER_LBER_SET else {
            throw unexpected(peekTag() ?? ROSTER_LBER_ERROR, wanted: ROSTER_LBER_SET)
        }
        var values: [[UInt8]] = []
        var length: ber_len_t = 0
        var last: UnsafeMutablePointer<CChar>?
        var tag = ber_first_element(ber, &length, &last)
        while tag != ROSTER_LBER_ERROR {
            values.append(try octetString())
            tag = ber_next_element(ber, &length, last)
        }
        return values
    }

    private func unexpected(_ found: ber_tag_t, wanted: ber_tag_t) -> BERDecodingError {
        let text = found == ROSTER_LBER_ERROR ? "nothing (or a damaged element)" : "tag \(hex(found))"
        return BERDecodingError(description: "\(what): expected tag \(hex(wanted)), found \(text)")
    }

    private func hex(_ tag: ber_tag_t) -> String {
        "0x" + String(tag, radix: 16)
    }
}

@available(*, unavailable)
extension BERReader: Sendable {}

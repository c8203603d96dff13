/// The entryUUID of a content synchronisation message (RFC 4533 §2.1: 16 bytes) in the text form
/// slapd gives the `entryUUID` attribute (RFC 4122 §3, bytes in order, lower-case), so that the
/// uuids of sync state controls and syncIdSets compare equal to the attribute values.
enum SyncUUID {
    static func text(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `text`, or a decoding error naming what carried the malformed uuid.
    static func decode(_ bytes: [UInt8], in what: String) throws(BERDecodingError) -> String {
        guard let uuid = text(bytes) else {
            throw BERDecodingError(description: "\(what): an entryUUID of \(bytes.count) bytes instead of 16")
        }
        return uuid
    }
}

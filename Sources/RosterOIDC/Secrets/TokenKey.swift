import Foundation

/// The 32-byte AES-256 key of a source's `token_key_file`, which seals refresh tokens at rest.
///
/// The file holds the key as 32 raw bytes, as 64 hexadecimal digits, or as base64 (44
/// characters); surrounding whitespace of the text forms is ignored. `openssl rand -hex 32`
/// writes a good one. The file must not be readable by group or others.
public struct TokenKey: Sendable {
    let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw OIDCError(.configuration, "a token key must be 32 bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Reads and checks the key file at `path`; `setting` names it in errors (`sources.okta.token_key_file`).
    public init(contentsOf path: String, setting: String) throws {
        let fix = "write 32 random bytes into it with: openssl rand -hex 32 > \(path); chmod 600 \(path)"
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw OIDCError(
                .configuration, "\(setting) \(path) cannot be read (\(String(cString: strerror(errno)))); \(fix)")
        }
        guard Int(info.st_mode) & 0o077 == 0 else {
            throw OIDCError(
                .configuration,
                "\(setting) \(path) is readable or writable by group or others; run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OIDCError(.configuration, "\(setting) \(path) cannot be read by this user; \(fix)")
        }
        guard let key = Self.decode([UInt8](data)) else {
            throw OIDCError(
                .configuration,
                "\(setting) \(path) holds no 32-byte key (32 raw bytes, 64 hex digits or base64); \(fix)")
        }
        try self.init(bytes: key)
    }

    /// The key in raw, hex or base64 form, or nil.
    static func decode(_ content: [UInt8]) -> [UInt8]? {
        if content.count == 32 { return content }
        let text = String(decoding: content, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, let bytes = hex(text) { return bytes }
        if let data = Data(base64Encoded: text), data.count == 32 { return [UInt8](data) }
        return nil
    }

    private static func hex(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

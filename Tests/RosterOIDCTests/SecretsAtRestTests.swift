import Foundation
import RosterCrypto
import Testing

@testable import RosterOIDC

/// AES-256-GCM sealing of refresh tokens, and the token key file.
struct SecretsAtRestTests {
    let key = try! TokenKey(bytes: Array(0..<32))

    @Test func aesGCMRoundTripsWithAFreshNonceEachTime() throws {
        let plaintext = Array("refresh-token-value".utf8)
        let key = Array(repeating: UInt8(7), count: 32)
        let first = try AESGCM.seal(plaintext, key: key, authenticating: Array("row".utf8))
        let second = try AESGCM.seal(plaintext, key: key, authenticating: Array("row".utf8))
        #expect(first.count == 12 + plaintext.count + 16)
        #expect(first != second)
        #expect(try AESGCM.open(first, key: key, authenticating: Array("row".utf8)) == plaintext)
        #expect(try AESGCM.open(try AESGCM.seal([], key: key), key: key) == [])
    }

    @Test(arguments: [0, 12, 20, 40])
    func aesGCMDetectsAnyFlippedBit(position: Int) throws {
        let key = Array(repeating: UInt8(7), count: 32)
        var sealed = try AESGCM.seal(Array("refresh-token-value".utf8), key: key)
        sealed[position] ^= 0x80
        #expect {
            try AESGCM.open(sealed, key: key)
        } throws: { ($0 as? CryptoError)?.code == .authenticationFailed }
    }

    @Test func aesGCMRefusesTheWrongKeyContextOrLength() throws {
        let key = Array(repeating: UInt8(7), count: 32)
        let sealed = try AESGCM.seal(Array("token".utf8), key: key, authenticating: Array("alice".utf8))
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: Array(repeating: 8, count: 32)) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key, authenticating: Array("bob".utf8)) }
        #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.prefix(20)), key: key) }
        #expect(throws: CryptoError.self) { try AESGCM.seal([1], key: Array(repeating: 7, count: 16)) }
    }

    @Test func sealedRefreshTokensOpenOnlyOnTheirOwnGrant() throws {
        let sealer = RefreshTokenSealer(key: key)
        let sealed = try sealer.seal("rt-secret", source: "okta", subject: "alice")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("rt-secret"))
        #expect(try sealer.open(sealed, source: "okta", subject: "alice") == "rt-secret")
        #expect {
            try sealer.open(sealed, source: "okta", subject: "bob")
        } throws: { error in
            "\(error)".contains("does not open") && !"\(error)".contains("rt-secret")
        }
    }

    @Test(arguments: ["raw", "hex", "base64"])
    func tokenKeyFilesHoldRawHexOrBase64(format: String) throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let content: Data
        switch format {
        case "raw": content = Data(bytes)
        case "hex": content = Data((bytes.map { String(format: "%02x", $0) }.joined() + "\n").utf8)
        default: content = Data((Data(bytes).base64EncodedString() + "\n").utf8)
        }
        let path = try Self.write(content, mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try TokenKey(contentsOf: path, setting: "token_key_file").bytes == bytes)
    }

    @Test func tokenKeyFilesReadableByOthersOrOfTheWrongSizeAreRefused() throws {
        let readable = try Self.write(Data(repeating: 1, count: 32), mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: readable) }
        #expect { try TokenKey(contentsOf: readable, setting: "token_key_file") } throws: {
            "\($0)".contains("chmod 600")
        }
        let short = try Self.write(Data("abcd".utf8), mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: short) }
        #expect { try TokenKey(contentsOf: short, setting: "token_key_file") } throws: {
            "\($0)".contains("openssl rand -hex 32")
        }
    }

    static func write(_ data: Data, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-key-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}

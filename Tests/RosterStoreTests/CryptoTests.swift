import Foundation
import Testing

@testable import RosterCrypto

struct SHA256Tests {
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hex(Data(input.utf8)) == expected)
    }

    @Test func digestsEveryRegionOfNonContiguousData() throws {
        var data = DispatchData.empty
        for part in ["ab", "c"] {
            part.utf8CString.dropLast().map { UInt8(bitPattern: $0) }.withUnsafeBytes { data.append($0) }
        }
        #expect(SHA256.hex(data) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The audit log's hasher reuses one context: each digest must start afresh, not continue
    /// the previous input.
    @Test func hasherGivesEachInputItsOwnDigest() throws {
        let hasher = try SHA256Hasher()
        for _ in 0..<2 {
            #expect(hasher.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(hasher.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }
    }
}

struct PasswordHasherTests {
    /// RFC 7914 §12, second vector: checks the libcrypto binding itself.
    @Test func scryptMatchesRFC7914() throws {
        let key = try PasswordHasher.derive(
            "password", salt: Array("NaCl".utf8), parameters: .init(logN: 10, r: 8, p: 16), length: 64)
        #expect(
            Hex.encode(key)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func hashVerifiesItsPasswordOnly() throws {
        let phc = try PasswordHasher.hash("correct horse battery staple")
        #expect(try PasswordHasher.verify("correct horse battery staple", phc: phc))
        #expect(try !PasswordHasher.verify("correct horse battery stapler", phc: phc))
        #expect(try !PasswordHasher.verify("", phc: phc))
        #expect(try !PasswordHasher.needsRehash(phc))
    }

    @Test func hashHasThePHCShape() throws {
        let phc = try PasswordHasher.hash("secret")
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        try #require(fields.count == 5)
        #expect(fields[0] == "" && fields[1] == "scrypt" && fields[2] == "ln=15,r=8,p=1")
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        // 16 bytes of salt and 32 of hash, unpadded: 22 and 43 characters.
        #expect(fields[3].count == 22 && fields[3].allSatisfy(alphabet.contains))
        #expect(fields[4].count == 43 && fields[4].allSatisfy(alphabet.contains))
        #expect(try PasswordHasher.hash("secret") != phc, "each hash has its own salt")
    }

    @Test func tamperedHashDoesNotVerify() throws {
        let phc = try PasswordHasher.hash("secret", parameters: .init(logN: 10, r: 8, p: 1))
        var characters = Array(phc)
        let index = characters.count - 5
        characters[index] = characters[index] == "A" ? "B" : "A"
        #expect(try !PasswordHasher.verify("secret", phc: String(characters)))
        let otherParameters = phc.replacingOccurrences(of: "ln=10", with: "ln=11")
        #expect(try !PasswordHasher.verify("secret", phc: otherParameters))
    }

    @Test(arguments: [
        "",
        "secret",
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=015,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=x,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1$c2Fs*HNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdB$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g$",
    ])
    func malformedPHCIsRefused(phc: String) {
        #expect {
            try PasswordHasher.verify("secret", phc: phc)
        } throws: { error in
            (error as? CryptoError)?.code == .malformedHash
        }
    }

    @Test func excessiveParametersAreRefused() {
        let phc = "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        #expect {
            try PasswordHasher.verify("secret", phc: phc)
        } throws: { error in
            (error as? CryptoError)?.code == .unsupportedParameters
        }
    }

    @Test func secureRandomGivesFreshBytes() throws {
        let first = try SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(try SecureRandom.bytes(32) != first)
        #expect(try SecureRandom.bytes(0).isEmpty)
    }
}

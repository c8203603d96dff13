import Foundation

/// A scrypt hash in the PHC string format: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`.
///
/// Salt and hash use the PHC flavour of Base64: the standard alphabet without `=` padding.
struct PHCString: Equatable {
    var parameters: PasswordHasher.Parameters
    var salt: [UInt8]
    var hash: [UInt8]

    init(parameters: PasswordHasher.Parameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Parses `text`, refusing anything but a complete, canonical scrypt PHC string.
    init(parsing text: String) throws {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty else {
            throw Self.malformed("expected $scrypt$ln=N,r=N,p=N$<salt>$<hash>")
        }
        guard fields[1] == "scrypt" else { throw Self.malformed("algorithm \"\(fields[1])\" is not scrypt") }
        parameters = try Self.parseParameters(fields[2])
        guard let salt = Self.decode(fields[3]), (8...64).contains(salt.count) else {
            throw Self.malformed("the salt is not 8 to 64 bytes of unpadded Base64")
        }
        guard let hash = Self.decode(fields[4]), (16...64).contains(hash.count) else {
            throw Self.malformed("the hash is not 16 to 64 bytes of unpadded Base64")
        }
        self.salt = salt
        self.hash = hash
    }

    var text: String {
        "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(Self.encode(salt))$\(Self.encode(hash))"
    }

    // MARK: - Parts

    private static func parseParameters(_ field: Substring) throws -> PasswordHasher.Parameters {
        var values: [String: Int] = [:]
        for pair in field.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, ["ln", "r", "p"].contains(parts[0]), values[String(parts[0])] == nil,
                let value = decimal(parts[1])
            else { throw malformed("parameters \"\(field)\" are not ln=N,r=N,p=N") }
            values[String(parts[0])] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"] else {
            throw malformed("parameters \"\(field)\" are not ln=N,r=N,p=N")
        }
        return PasswordHasher.Parameters(logN: logN, r: r, p: p)
    }

    /// A PHC decimal: digits only, no sign, no leading zero.
    private static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int(text)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes unpadded Base64, accepting only the canonical encoding of the bytes.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.count % 4 != 1,
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") })
        else { return nil }
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        let bytes = [UInt8](data)
        return encode(bytes) == text ? bytes : nil
    }

    private static func malformed(_ problem: String) -> CryptoError {
        CryptoError(code: .malformedHash, operation: "parse PHC string", message: problem)
    }
}

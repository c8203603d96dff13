import Foundation

/// The bind password, read from `bind_password_file` just before it is used.
///
/// It never appears in a message: `description` names the file only.
struct BindPassword: CustomStringConvertible {
    let bytes: [UInt8]
    let path: String

    /// Reads the file and drops the line ending an editor or `echo` leaves at its end.
    static func read(path: String) throws(LDAPReadFailure) -> BindPassword {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "is not readable by this user (uid \(getuid()))" : "does not exist"
            throw LDAPReadFailure("bind_password_file \(path) \(reason)")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        // A simple bind with a DN and no password is an "unauthenticated bind": many servers
        // accept it as anonymous, and the read would then come back empty rather than fail.
        guard !bytes.isEmpty else {
            throw LDAPReadFailure("bind_password_file \(path) is empty; put the bind account's password in it")
        }
        return BindPassword(bytes: bytes, path: path)
    }

    var description: String { "the password in \(path)" }
}

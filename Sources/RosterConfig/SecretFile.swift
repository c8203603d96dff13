import Foundation

/// The load-time checks on a file holding a secret: it exists, this process can read it, and
/// neither group nor others can. Refusing a readable secret keeps a `chmod` slip from leaking
/// a bind password to every local account.
enum SecretFile {
    /// Why `path` is unusable as a secret file, or nil when it is fine. `key` names the setting.
    static func problem(_ path: String, key: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT {
                return "\(key) \(path) does not exist; write the secret into it with mode 600, or fix the path"
            }
            return "\(key) \(path) cannot be checked: \(reason)"
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return "\(key) \(path) is not a regular file; point it at the file holding the secret"
        }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o044 != 0 {
            let digits = String(mode, radix: 8)
            let octal = "0" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            return "\(key) \(path) is readable by group or others (mode \(octal)); run chmod 600 \(path)"
        }
        guard access(path, R_OK) == 0 else {
            return
                "\(key) \(path) cannot be read by this user (uid \(geteuid())); give the service user ownership of it"
        }
        // An empty password makes an LDAP simple bind anonymous: the server accepts it and answers less.
        let content = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        if content?.isEmpty ?? false {
            return "\(key) \(path) is empty; write the secret into it"
        }
        return nil
    }
}

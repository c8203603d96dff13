import CLDAP
import Foundation

/// A libldap failure at the boundary: the operation, libldap's result code and its own message.
public struct LDAPError: Error, Sendable, CustomStringConvertible {
    /// libldap's result code (`LDAP_DECODING_ERROR`, `LDAP_INVALID_DN_SYNTAX`, …).
    public var code: Int32
    /// What was being done, naming the thing it was done to (`parse DN "cn=x,"`).
    public var operation: String
    /// `ldap_err2string(code)`.
    public var message: String
    /// The server's (or the TLS library's) own words, when it gave any: the diagnostic message
    /// of the result, or `LDAP_OPT_DIAGNOSTIC_MESSAGE` of the connection.
    public var diagnostic: String?

    public init(code: Int32, operation: String, diagnostic: String? = nil) {
        self.code = code
        self.operation = operation
        self.message = String(cString: ldap_err2string(code))
        let trimmed = diagnostic?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.diagnostic = trimmed?.isEmpty == false ? trimmed : nil
    }

    public var description: String {
        "\(operation): " + Self.text(code: code, diagnostic: diagnostic)
    }

    /// `ldap_err2string(code)`, then the diagnostic in parentheses when it adds anything.
    static func text(code: Int32, diagnostic: String?) -> String {
        let message = String(cString: ldap_err2string(code))
        let detail = diagnostic?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // GnuTLS builds of libldap report a failed TLS handshake as "(unknown error code)".
        guard !detail.isEmpty, detail != message, detail != "(unknown error code)" else { return message }
        return "\(message) (\(detail))"
    }
}

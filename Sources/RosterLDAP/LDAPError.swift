import CLDAP

/// A libldap failure at the boundary: the operation, libldap's result code and its own message.
public struct LDAPError: Error, Sendable, CustomStringConvertible {
    /// libldap's result code (`LDAP_DECODING_ERROR`, `LDAP_INVALID_DN_SYNTAX`, …).
    public var code: Int32
    /// What was being done, naming the thing it was done to (`parse DN "cn=x,"`).
    public var operation: String
    /// `ldap_err2string(code)`.
    public var message: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = String(cString: ldap_err2string(code))
    }

    public var description: String { "\(operation): \(message)" }
}

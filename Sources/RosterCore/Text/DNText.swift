/// Display helpers for DNs (comparison goes through `DNNormalizing`).
public enum DNText {
    /// The first RDN as written (`cn=ml-core` of `cn=ml-core,ou=groups,…`), for reason chains.
    public static func firstRDN(_ dn: String) -> String {
        var escaped = false
        for index in dn.indices {
            let character = dn[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                return String(dn[..<index])
            }
        }
        return dn
    }
}

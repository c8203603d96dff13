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

extension DNText {
    /// DNs that differ only in case or in spaces around separators name the same entry; the
    /// stored DN is kept then, so such a difference is not a rename.
    public static func looselyEqual(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs, let rhs else { return lhs == rhs }
        // The same text is the common case (a resync): no keys to build then.
        return lhs == rhs || key(lhs) == key(rhs)
    }

    private static func key(_ dn: String) -> String {
        var output = ""
        var pendingSpace = false
        var previous: Character = ","
        for character in LDAPText.fold(dn) {
            if character == " " {
                pendingSpace = true
                continue
            }
            if pendingSpace && !",=+".contains(character) && !",=+".contains(previous) { output.append(" ") }
            pendingSpace = false
            output.append(character)
            previous = character
        }
        return output
    }
}

import CLDAP
import RosterCore

/// A DN as libldap parsed it. The only owner of its `LDAPDN`, which it frees with `ldap_dnfree`.
final class DistinguishedName {
    /// Nil for the empty DN (the root DSE), which libldap represents as no RDNs at all.
    private let dn: LDAPDN?
    let written: String

    /// Parses an LDAPv3 string DN (RFC 4514).
    init(_ written: String) throws(LDAPError) {
        LibLDAP.ensureInitialized()
        var parsed: LDAPDN?
        let code = ldap_str2dn(written, &parsed, UInt32(LDAP_DN_FORMAT_LDAPV3))
        guard code == LDAP_SUCCESS else {
            if let parsed { ldap_dnfree(parsed) }
            throw LDAPError(code: code, operation: "invalid DN \"\(written)\"")
        }
        self.dn = parsed
        self.written = written
    }

    deinit {
        if let dn { ldap_dnfree(dn) }
    }

    // MARK: - Canonical form

    /// Puts the values of each multi-valued RDN (`cn=a+sn=b`) in a fixed order: RFC 4514 leaves
    /// their order free, so `sn=b+cn=a` names the same entry.
    func sortMultiValuedRDNs() {
        guard let dn else { return }
        var rdnIndex = 0
        while let rdn = dn[rdnIndex] {
            rdnIndex += 1
            // Nearly every RDN holds one value: nothing to order, nothing to allocate.
            guard rdn[1] != nil else { continue }
            var avas: [UnsafeMutablePointer<LDAPAVA>] = []
            while let ava = rdn[avas.count] { avas.append(ava) }
            if avas.count > 1 {
                // Only the pointer array is reordered; each AVA is still freed once by ldap_dnfree.
                let sorted = avas.map { (key: Self.sortKey($0.pointee), ava: $0) }.sorted { $0.key < $1.key }
                for (index, entry) in sorted.enumerated() { rdn[index] = entry.ava }
            }
        }
    }

    /// The DN serialised by `ldap_dn2str` in LDAPv3 form. `LDAP_DN_PRETTY` keeps UTF-8 as is
    /// (without it, `ë` would become `\C3\AB` and escape case folding).
    func serialized() throws(LDAPError) -> String {
        guard let dn else { return "" }
        var text: UnsafeMutablePointer<CChar>?
        let code = ldap_dn2str(dn, &text, UInt32(LDAP_DN_FORMAT_LDAPV3 | LDAP_DN_PRETTY))
        defer { if let text { ldap_memfree(text) } }
        guard code == LDAP_SUCCESS, let text else {
            throw LDAPError(code: code, operation: "invalid DN \"\(written)\"")
        }
        return String(cString: text)
    }

    private static func sortKey(_ ava: LDAPAVA) -> String {
        LDAPText.fold(string(ava.la_attr)) + "=" + LDAPText.fold(string(ava.la_value))
    }

    private static func string(_ value: berval) -> String {
        guard let bytes = value.bv_val, value.bv_len > 0 else { return "" }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: Int(value.bv_len))
        return String(decoding: buffer, as: UTF8.self)
    }
}

@available(*, unavailable)
extension DistinguishedName: Sendable {}

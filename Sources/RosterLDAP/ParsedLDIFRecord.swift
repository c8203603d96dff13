import CLDAP

/// One record parsed by `ldap_parse_ldif_record`. The only owner of the `LDIFRecord`, whose
/// allocations it releases with `ldap_ldif_record_done`. Its values point into the text it was
/// parsed from, so it must not outlive that text.
final class ParsedLDIFRecord {
    private let record: UnsafeMutablePointer<LDIFRecord>

    private init(owning record: UnsafeMutablePointer<LDIFRecord>) {
        self.record = record
    }

    deinit {
        ldap_ldif_record_done(record)
        record.deallocate()
    }

    /// Parses `raw` in place (libldap rewrites its line breaks), as an entry to add: a record
    /// without `changetype` is an entry, and `control:` lines are ignored.
    static func parse(_ raw: LDIFFile.RawRecord) -> Result<ParsedLDIFRecord, LDAPError> {
        let record = UnsafeMutablePointer<LDIFRecord>.allocate(capacity: 1)
        record.initialize(to: LDIFRecord())
        var text = berval(bv_len: ber_len_t(raw.length), bv_val: raw.text)
        let flags = UInt32(LDIF_DEFAULT_ADD | LDIF_NO_CONTROLS)
        let code = ldap_parse_ldif_record(&text, UInt(raw.firstLine), record, "roster", flags)
        guard code == LDAP_SUCCESS else {
            // On failure libldap has already released the record's allocations.
            record.deallocate()
            return .failure(LDAPError(code: code, operation: "parse LDIF record"))
        }
        return .success(ParsedLDIFRecord(owning: record))
    }

    /// `LDAP_REQ_ADD` (0x68, a macro with a cast that Swift does not import).
    private static let addRequest: ber_tag_t = 0x68

    var isEntry: Bool { record.pointee.lr_op == Self.addRequest }

    var dn: [UInt8]? {
        let dn = record.pointee.lr_dn
        guard dn.bv_val != nil else { return nil }
        return Self.bytes(dn)
    }

    /// Attribute descriptions with their values, in the order of the file (libldap has already
    /// gathered the values of one attribute together).
    var attributes: [(description: String, values: [[UInt8]])] {
        guard let mods = record.pointee.ldif_ops.lr_mods else { return [] }
        var result: [(description: String, values: [[UInt8]])] = []
        var index = 0
        while let mod = mods[index] {
            index += 1
            guard let type = mod.pointee.mod_type else { continue }
            var values: [[UInt8]] = []
            if let list = mod.pointee.mod_vals.modv_bvals {
                var valueIndex = 0
                while let value = list[valueIndex] {
                    values.append(Self.bytes(value.pointee))
                    valueIndex += 1
                }
            }
            result.append((String(cString: type), values))
        }
        return result
    }

    private static func bytes(_ value: berval) -> [UInt8] {
        guard let start = value.bv_val, value.bv_len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: Int(value.bv_len)))
    }
}

@available(*, unavailable)
extension ParsedLDIFRecord: Sendable {}

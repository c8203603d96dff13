/// An entry of an LDIF file and the line its `dn:` is on.
public struct LDIFEntry: Sendable, Hashable {
    public var entry: DirectoryEntry
    public var line: Int

    public init(entry: DirectoryEntry, line: Int) {
        self.entry = entry
        self.line = line
    }
}

/// Reads the entries of an LDIF file (RFC 2849) with libldap only: `ldif_read_record` splits
/// records, `ldap_parse_ldif_record` decodes them (folded lines, `::` base64 values).
///
/// Refused, with the file and line: `:<` URL values, change records, `include:` lines, a record
/// whose DN or values libldap cannot parse. Not thread-safe: one reader, one task.
public final class LDIFReader {
    public let path: String
    private let file: LDIFFile

    /// Opens `path`; throws when it cannot be opened.
    public init(path: String) throws(LDIFError) {
        self.path = path
        self.file = try LDIFFile(path: path)
    }

    /// The next entry, or nil at the end of the file.
    public func next() throws(LDIFError) -> LDIFEntry? {
        while let raw = try file.next() {
            guard case .entry(let dnLine) = try LDIFLineCheck.check(raw, path: path) else { continue }
            let record: ParsedLDIFRecord
            switch ParsedLDIFRecord.parse(raw) {
            case .success(let parsed): record = parsed
            case .failure(let error):
                throw LDIFError(path: path, line: raw.firstLine, message: "invalid LDIF record: \(error.message)")
            }
            guard record.isEntry else {
                throw LDIFError(path: path, line: dnLine, message: "not an entry (a change record?)")
            }
            guard let dnBytes = record.dn, let dn = String(validating: dnBytes, as: UTF8.self) else {
                throw LDIFError(path: path, line: dnLine, message: "the DN is not UTF-8 text")
            }
            var entry = DirectoryEntry(dn: dn)
            for attribute in record.attributes {
                entry.add(attribute.description, values: attribute.values)
            }
            return LDIFEntry(entry: entry, line: dnLine)
        }
        return nil
    }

    /// Every entry of the file at `path`.
    public static func entries(path: String) throws(LDIFError) -> [LDIFEntry] {
        let reader = try LDIFReader(path: path)
        var entries: [LDIFEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }
}

@available(*, unavailable)
extension LDIFReader: Sendable {}

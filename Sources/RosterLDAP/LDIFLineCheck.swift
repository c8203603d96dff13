import CLDAP

/// A first pass over one LDIF record, line by line with libldap's `ldif_getline` and
/// `ldif_parse_line2`, on a copy of its text.
///
/// It refuses what Roster must never do and what an export never contains (`:<` URL values,
/// which libldap would fetch from disk; change records; a missing blank line between two
/// entries), and it finds the exact line of a syntax error, which `ldap_parse_ldif_record` only
/// writes to its debug log.
enum LDIFLineCheck {
    enum Outcome {
        /// An entry whose `dn:` is on this line.
        case entry(dnLine: Int)
        /// Only `version:` (or nothing but comments): no entry to read.
        case noEntry
    }

    static func check(_ record: LDIFFile.RawRecord, path: String) throws(LDIFError) -> Outcome {
        var copy = Array(UnsafeBufferPointer(start: record.text, count: record.length + 1))
        let result = copy.withUnsafeMutableBufferPointer { buffer in
            walk(buffer, original: record, path: path)
        }
        return try result.get()
    }

    private static func walk(
        _ buffer: UnsafeMutableBufferPointer<CChar>, original record: LDIFFile.RawRecord, path: String
    ) -> Result<Outcome, LDIFError> {
        guard let start = buffer.baseAddress else { return .success(.noEntry) }
        var next: UnsafeMutablePointer<CChar>? = start
        var lineCounter = LineCounter(text: record.text, firstLine: record.firstLine)
        var dnLine: Int?

        while let line = ldif_getline(&next) {
            let lineNumber = lineCounter.line(at: line - start)
            func failure(_ message: String) -> Result<Outcome, LDIFError> {
                .failure(LDIFError(path: path, line: lineNumber, message: message))
            }
            guard let colon = strchr(line, 0x3A) else {
                return failure("expected `attribute: value`, found no colon")
            }
            if colon[1] == 0x3C {
                return failure("`:<` URL values are refused: Roster never reads files or URLs named in an LDIF file")
            }
            var type = berval()
            var value = berval()
            var valueIsAllocated: Int32 = 0
            guard ldif_parse_line2(line, &type, &value, &valueIsAllocated) == 0 else {
                return failure("invalid base64 value after `::`")
            }
            // Only fetched URL values are allocated, and those were refused above.
            if valueIsAllocated != 0 { ber_memfree(value.bv_val) }
            let name = text(type).lowercased()
            guard !name.isEmpty else { return failure("missing attribute name before the colon") }

            guard dnLine != nil else {
                switch name {
                case "version": continue
                case "dn":
                    dnLine = lineNumber
                    continue
                default: return failure("expected the record's `dn:` line first, found `\(name):`")
                }
            }
            switch name {
            case "dn":
                return failure("a second `dn:` line in one record: is the blank line between two entries missing?")
            case "changetype" where text(value).lowercased() != "add":
                return failure(
                    "change records (`changetype: \(text(value))`) are not supported; give an export of entries")
            default:
                continue
            }
        }
        return .success(dnLine.map { .entry(dnLine: $0) } ?? .noEntry)
    }

    private static func text(_ value: berval) -> String {
        guard let bytes = value.bv_val, value.bv_len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(value.bv_len)), as: UTF8.self)
    }

    /// Maps offsets in a record's text to file lines, counting newlines forward only once.
    private struct LineCounter {
        let text: UnsafeMutablePointer<CChar>
        var offset = 0
        var line: Int

        init(text: UnsafeMutablePointer<CChar>, firstLine: Int) {
            self.text = text
            self.line = firstLine
        }

        mutating func line(at target: Int) -> Int {
            while offset < target {
                if text[offset] == 0x0A { line += 1 }
                offset += 1
            }
            return line
        }
    }
}

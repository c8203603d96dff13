import CLDAP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An LDIF file opened with `ldif_open` and read record by record with `ldif_read_record`.
///
/// The only owner of the `LDIFFP` (closed with `ldif_close`) and of the record buffer that
/// libldap grows with `ber_memrealloc` (freed with `ber_memfree`). A record's text lives in that
/// buffer until the next read.
final class LDIFFile {
    let path: String
    private let handle: UnsafeMutablePointer<LDIFFP>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var bufferLength: Int32 = 0
    /// Physical lines read so far; `ldif_read_record` advances it.
    private var linesRead: UInt = 0

    init(path: String) throws(LDIFError) {
        LibLDAP.ensureInitialized()
        guard let handle = ldif_open(path, "r") else {
            throw LDIFError(path: path, message: "cannot open the LDIF file: \(Self.systemError(errno))")
        }
        self.path = path
        self.handle = handle
    }

    deinit {
        ldif_close(handle)
        if let buffer { ber_memfree(buffer) }
    }

    /// One record's lines as `ldif_read_record` gathered them (comments just above it included).
    struct RawRecord {
        /// NUL-terminated, in libldap's buffer: valid until the next `next()`.
        var text: UnsafeMutablePointer<CChar>
        var length: Int
        /// Line of the file the record's first line is on.
        var firstLine: Int
    }

    /// The next record, or nil at the end of the file.
    func next() throws(LDIFError) -> RawRecord? {
        let found = ldif_read_record(handle, &linesRead, &buffer, &bufferLength)
        let readError = ferror(handle.pointee.fp) != 0 ? errno : 0
        // `include:` is an OpenLDAP extension that splices another file in (libldap pushes it
        // onto `prev`). An export never has it, and an included file could end the read early
        // without an error, so a file using it is refused.
        if handle.pointee.prev != nil {
            throw LDIFError(
                path: path, line: Int(linesRead),
                message: "`include:` lines are not supported; give one self-contained LDIF file")
        }
        if readError != 0 {
            throw LDIFError(path: path, line: Int(linesRead), message: "read failed: \(Self.systemError(readError))")
        }
        if found < 0 {
            throw LDIFError(path: path, line: Int(linesRead), message: "libldap could not read this record")
        }
        guard found > 0, let buffer else { return nil }

        let length = strlen(buffer)
        var newlines = 0
        for index in 0..<length where buffer[index] == 0x0A { newlines += 1 }
        // A record that ended on its blank separator line has counted that line too; one that
        // ended at the end of the file has not.
        let endedOnBlankLine = feof(handle.pointee.fp) == 0
        let firstLine = Int(linesRead) - newlines + 1 - (endedOnBlankLine ? 1 : 0)
        return RawRecord(text: buffer, length: length, firstLine: max(firstLine, 1))
    }

    private static func systemError(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

@available(*, unavailable)
extension LDIFFile: Sendable {}

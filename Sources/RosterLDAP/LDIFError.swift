/// A problem reading an LDIF file, located as `PATH:LINE: message` where the line is known.
public struct LDIFError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line number in the file, when the problem sits on a line.
    public var line: Int?
    public var message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

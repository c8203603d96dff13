import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's log: one line per event on stderr, prefixed with its syslog priority (`<6>`) so
/// that journald files each line at the right level (sd-daemon(3)).
///
/// Shaped like swift-log's `Logger`: passed in, never built by the code that logs. Metadata whose
/// key names a secret is written as `<redacted>`: secrets never reach a log.
public struct DaemonLogger: Sendable {
    /// syslog priorities: lower is more severe.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case critical = 2
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6
        case debug = 7

        public init?(name: String) {
            guard let level = Self.allCases.first(where: { "\($0)" == name.lowercased() }) else { return nil }
            self = level
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue > rhs.rawValue }
    }

    /// Receives each finished line, newline included.
    public typealias Sink = @Sendable (String) -> Void

    public var minimumLevel: Level
    private let sink: Sink

    public init(minimumLevel: Level = .info, sink: @escaping Sink = DaemonLogger.standardError) {
        self.minimumLevel = minimumLevel
        self.sink = sink
    }

    public func log(_ level: Level, _ message: String, metadata: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        sink(Self.line(level, message, metadata: metadata))
    }

    public func critical(_ message: String, metadata: [String: String] = [:]) {
        log(.critical, message, metadata: metadata)
    }
    public func error(_ message: String, metadata: [String: String] = [:]) { log(.error, message, metadata: metadata) }
    public func warning(_ message: String, metadata: [String: String] = [:]) {
        log(.warning, message, metadata: metadata)
    }
    public func notice(_ message: String, metadata: [String: String] = [:]) {
        log(.notice, message, metadata: metadata)
    }
    public func info(_ message: String, metadata: [String: String] = [:]) { log(.info, message, metadata: metadata) }
    public func debug(_ message: String, metadata: [String: String] = [:]) { log(.debug, message, metadata: metadata) }

    // MARK: - Formatting

    /// `<3>message key=value key="two words"`: one line whatever the message holds.
    public static func line(_ level: Level, _ message: String, metadata: [String: String] = [:]) -> String {
        var line = "<\(level.rawValue)>" + flatten(message)
        for key in metadata.keys.sorted() {
            line += " \(key)=" + quoted(isSecret(key) ? "<redacted>" : flatten(metadata[key] ?? ""))
        }
        return line + "\n"
    }

    /// Keys that name a secret; their values are never written.
    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "secret", "token", "credential", "private_key"].contains { lower.contains($0) }
    }

    /// Line breaks would split one event over several journal entries.
    private static func flatten(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " | ")
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// Writes each line with one `write(2)`, so that lines from several threads never interleave.
    public static let standardError: Sink = { line in
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

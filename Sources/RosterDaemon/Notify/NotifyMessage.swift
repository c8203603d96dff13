/// One `sd_notify` datagram: newline-separated `KEY=VALUE` assignments (sd_notify(3)).
public struct NotifyMessage: Sendable, Hashable, CustomStringConvertible {
    public struct Field: Sendable, Hashable {
        public var key: String
        public var value: String
    }

    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    /// Adds `KEY=VALUE`; a newline in the value would start a new assignment, so it becomes a space.
    public func adding(_ key: String, _ value: String) -> NotifyMessage {
        let flat = value.split(whereSeparator: \.isNewline).joined(separator: " ")
        return NotifyMessage(fields + [Field(key: key, value: flat)])
    }

    // MARK: - The messages Roster sends

    /// Startup finished: the configuration loaded and the store opened.
    public static let ready = NotifyMessage().adding("READY", "1")
    /// The watchdog keep-alive, due at half of `WATCHDOG_USEC`.
    public static let watchdog = NotifyMessage().adding("WATCHDOG", "1")
    /// Shutdown began.
    public static let stopping = NotifyMessage().adding("STOPPING", "1")

    /// The one-line state `systemctl status` shows.
    public static func status(_ text: String) -> NotifyMessage { NotifyMessage().adding("STATUS", text) }

    /// A reload began; systemd 253 and later need the monotonic time with it, older ones ignore it.
    public static func reloading(monotonicMicroseconds: UInt64) -> NotifyMessage {
        NotifyMessage().adding("RELOADING", "1").adding("MONOTONIC_USEC", String(monotonicMicroseconds))
    }

    /// This message followed by `other`'s fields, sent as one datagram.
    public static func + (lhs: NotifyMessage, rhs: NotifyMessage) -> NotifyMessage {
        NotifyMessage(lhs.fields + rhs.fields)
    }

    /// The datagram's text.
    public var description: String { fields.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") }
}

import Foundation

/// Which audit records `auditRecords` returns; every condition set must hold.
public struct AuditFilter: Sendable, Hashable {
    /// Records at or after this time.
    public var since: Date?
    /// Records strictly before this time, so `since: day, until: next day` is that day.
    public var until: Date?
    public var userID: Int64?
    /// The email named in the record, compared case-insensitively. Not indexed (schema 6): used
    /// for an address nobody in the directory holds any more, it scans the log.
    public var email: String?
    /// An exact action such as `user.create`.
    public var action: String?
    public var run: String?
    /// At most this many records: the newest ones, still returned oldest first.
    public var limit: Int?

    public init(
        since: Date? = nil, until: Date? = nil, userID: Int64? = nil, email: String? = nil, action: String? = nil,
        run: String? = nil, limit: Int? = nil
    ) {
        self.since = since
        self.until = until
        self.userID = userID
        self.email = email
        self.action = action
        self.run = run
        self.limit = limit
    }
}

import Foundation
import RosterCore

/// What one run writes into a source's cache: with the directory's changes, in their transaction.
public struct SourceCacheWrite: Sendable {
    public var source: String
    /// Changed or new users and groups (every one of them when `replaces`).
    public var users: [SourceUser]
    public var groups: [SourceGroup]
    /// Ids of users and merge keys of groups that are gone.
    public var removed: Set<String>
    public var cookie: String?
    /// Set when the entries come from a full read.
    public var fullReadAt: Date?
    /// The cache is rebuilt from `users` and `groups` rather than updated.
    public var replaces: Bool
    /// The cache's generation once written (a plan checkpoint names it).
    public var generation: String

    public init(
        source: String, users: [SourceUser], groups: [SourceGroup], removed: Set<String> = [], cookie: String?,
        fullReadAt: Date?, replaces: Bool = false, generation: String = UUID().uuidString
    ) {
        self.source = source
        self.users = users
        self.groups = groups
        self.removed = removed
        self.cookie = cookie
        self.fullReadAt = fullReadAt
        self.replaces = replaces
        self.generation = generation
    }
}

/// A list of member values in one text column: each as its UTF-8 length, a colon and its bytes.
/// (JSON cost most of an incremental run's time to decode; a length prefix needs no escaping,
/// whatever a DN holds.)
enum MemberList {
    static func encode(_ members: [String]) -> String {
        var text = ""
        text.reserveCapacity(members.reduce(0) { $0 + $1.utf8.count + 4 })
        for member in members {
            text += String(member.utf8.count)
            text += ":"
            text += member
        }
        return text
    }

    /// Nil when `text` is not such a list.
    static func decode(_ text: String) -> [String]? {
        var members: [String] = []
        var utf8 = Substring(text).utf8[...]
        while !utf8.isEmpty {
            guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
                let length = Int(Substring(utf8[utf8.startIndex..<colon])), length >= 0
            else { return nil }
            let start = utf8.index(after: colon)
            guard let end = utf8.index(start, offsetBy: length, limitedBy: utf8.endIndex) else { return nil }
            members.append(String(Substring(utf8[start..<end])))
            utf8 = utf8[end...]
        }
        return members
    }
}

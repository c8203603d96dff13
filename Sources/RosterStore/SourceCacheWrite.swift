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
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// Nil when `bytes` are not such a list. Works on the bytes as SQLite holds them: every
    /// incremental run decodes all cached groups' members (200,000 at 100,000 users), and
    /// walking `String` indices cost several times this.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var members: [String] = []
        var position = 0
        while position < bytes.count {
            var length = 0
            var digits = 0
            while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 {
                length = length &* 10 &+ Int(bytes[position] &- UInt8(ascii: "0"))
                digits += 1
                position += 1
                // Longer than any column SQLite can hold: not a length, and no overflow.
                guard digits <= 10 else { return nil }
            }
            guard digits > 0, position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            guard length <= bytes.count - position else { return nil }
            members.append(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self))
            position += length
        }
        return members
    }
}

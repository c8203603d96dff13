/// Where an assignment came from: an admin by hand, or a mapping rule evaluated on a source.
///
/// Held as its stored form (`manual`, `mapping:<id>@<source>`) in one string: an origin is in
/// every assignment of every user, and one string instead of an enum of two keeps an assignment
/// at 56 bytes rather than 72 (a first sync holds every user's). Assignments made by one rule
/// share the rule's string (`MappingEngine` builds each origin once).
public struct AssignmentOrigin: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The stored form.
    public let description: String

    private init(stored: String) {
        description = stored
    }

    public static let manual = AssignmentOrigin(stored: "manual")

    public static func mapping(id: String, source: String) -> AssignmentOrigin {
        AssignmentOrigin(stored: "mapping:" + id + "@" + source)
    }

    /// Parses the stored form written by `description`.
    public init?(_ text: String) {
        guard text != "manual" else {
            self = .manual
            return
        }
        guard let (id, source) = Self.parts(of: text), !id.isEmpty, !source.isEmpty else { return nil }
        self.init(stored: text)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let origin = AssignmentOrigin(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an assignment origin: \(text)"))
        }
        self = origin
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var source: String? { Self.parts(of: description).map { String($0.source) } }

    public var mappingID: String? { Self.parts(of: description).map { String($0.id) } }

    public static func < (lhs: AssignmentOrigin, rhs: AssignmentOrigin) -> Bool {
        lhs.description < rhs.description
    }

    /// The rule id and source of a `mapping:<id>@<source>` text (the source follows the last `@`).
    private static func parts(of text: String) -> (id: Substring, source: Substring)? {
        guard text.hasPrefix("mapping:"), let at = text.lastIndex(of: "@") else { return nil }
        let idStart = text.index(text.startIndex, offsetBy: 8)
        guard idStart <= at else { return nil }
        return (text[idStart..<at], text[text.index(after: at)...])
    }
}

/// The three things a user can be given.
public enum AssignmentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case role
    case group
    case project
}

/// Role of a member inside a platform group; `admin` wins over `member`.
public enum GroupRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case member
    case admin

    public static func < (lhs: GroupRole, rhs: GroupRole) -> Bool { lhs == .member && rhs == .admin }
}

/// Role of a member inside a project; `owner` > `user` > `read-only`.
public enum ProjectRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case readOnly = "read-only"
    case user
    case owner

    private var rank: Int {
        switch self {
        case .readOnly: return 0
        case .user: return 1
        case .owner: return 2
        }
    }

    public static func < (lhs: ProjectRole, rhs: ProjectRole) -> Bool { lhs.rank < rhs.rank }
}

/// One fact about a user: a role (optionally scoped to a project), a group membership or a
/// project membership, with the origin that asserts it. The same fact may be asserted by
/// several origins; each is its own assignment so that removing one origin keeps the others.
public struct Assignment: Sendable, Hashable, Codable {
    public var kind: AssignmentKind
    /// Role, group or project name.
    public var name: String
    /// For roles: the project the role is scoped to, or empty. For groups and projects: the
    /// member's role (`member`/`admin`, `owner`/`user`/`read-only`).
    public var detail: String
    public var origin: AssignmentOrigin

    public init(kind: AssignmentKind, name: String, detail: String = "", origin: AssignmentOrigin) {
        self.kind = kind
        self.name = name
        self.detail = detail
        self.origin = origin
    }

    public static func role(_ name: String, project: String = "", origin: AssignmentOrigin) -> Assignment {
        Assignment(kind: .role, name: name, detail: project, origin: origin)
    }

    public static func group(_ name: String, role: GroupRole, origin: AssignmentOrigin) -> Assignment {
        Assignment(kind: .group, name: name, detail: role.rawValue, origin: origin)
    }

    public static func project(_ name: String, role: ProjectRole, origin: AssignmentOrigin) -> Assignment {
        Assignment(kind: .project, name: name, detail: role.rawValue, origin: origin)
    }

    /// A stable, readable key used for sorting and diffing.
    public var key: String { kind.rawValue + "|" + name + "|" + detail + "|" + origin.description }

    /// Whether `key < other.key`. When every part is ASCII (nearly always) the parts are compared
    /// one after the other as the key's bytes would be, and no key is built: the planner and every
    /// audit record ask whether a user's grants are in order.
    func keyPrecedes(_ other: Assignment) -> Bool {
        guard isASCII, other.isASCII else { return key < other.key }
        // No kind's name starts another's, so the kinds order as their names do.
        if kind != other.kind { return kind.rawValue < other.kind.rawValue }
        if name != other.name { return Self.precedes(name, other.name) ?? (key < other.key) }
        if detail != other.detail { return Self.precedes(detail, other.detail) ?? (key < other.key) }
        // The key's last part: nothing follows it.
        return origin.description < other.origin.description
    }

    private var isASCII: Bool {
        func ascii(_ text: String) -> Bool {
            text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
        }
        return ascii(kind.rawValue) && ascii(name) && ascii(detail) && ascii(origin.description)
    }

    /// Whether the key part `left` precedes a different `right`, each followed by `|`: where one
    /// starts the other, the shorter one's `|` meets the longer one's next byte. Nil when that
    /// byte is a `|` too (a part holding the separator): the parts after decide.
    private static func precedes(_ left: String, _ right: String) -> Bool? {
        let separator = UInt8(ascii: "|")
        let ordered = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes -> Bool? in
                let common = min(leftBytes.count, rightBytes.count)
                for index in 0..<common where leftBytes[index] != rightBytes[index] {
                    return leftBytes[index] < rightBytes[index]
                }
                let next = leftBytes.count < rightBytes.count ? rightBytes[common] : leftBytes[common]
                guard next != separator else { return nil }
                return leftBytes.count < rightBytes.count ? separator < next : next < separator
            }
        }
        // Nil from either `withContiguousStorageIfAvailable` (no contiguous UTF-8): undecided too.
        guard let bothContiguous = ordered, let decided = bothContiguous else { return nil }
        return decided
    }
}

extension Array where Element == Assignment {
    /// The assignments in `key` order, each key built once rather than twice per comparison.
    public func sortedByKey() -> [Assignment] {
        guard count > 1 else { return self }
        // Already in order (as stored, as planned) is the common case: no key, no sort, no copy.
        if zip(self, dropFirst()).allSatisfy({ !$0.1.keyPrecedes($0.0) }) { return self }
        let keys = map(\.key)
        return zip(keys, self).sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Role names, each once, sorted.
    public var roleNames: [String] {
        var names: [String] = []
        for assignment in self where assignment.kind == .role { names.append(assignment.name) }
        return names.sortedUnique()
    }

    /// Effective group memberships: `admin` wins when origins disagree.
    public var effectiveGroups: [(name: String, role: GroupRole)] {
        var memberships: [(name: String, role: GroupRole)] = []
        for assignment in self where assignment.kind == .group {
            memberships.append((assignment.name, GroupRole(rawValue: assignment.detail) ?? .member))
        }
        return Self.highestRolePerName(memberships)
    }

    /// Effective project memberships: `owner` > `user` > `read-only`.
    public var effectiveProjects: [(name: String, role: ProjectRole)] {
        var memberships: [(name: String, role: ProjectRole)] = []
        for assignment in self where assignment.kind == .project {
            memberships.append((assignment.name, ProjectRole(rawValue: assignment.detail) ?? .readOnly))
        }
        return Self.highestRolePerName(memberships)
    }

    /// Each name once, in order, with the highest of its roles. Sorted, then neighbours merged:
    /// a user has a handful, and a dictionary per user (every line of a first sync's plan asks)
    /// cost more than the sort.
    private static func highestRolePerName<Role: Comparable>(
        _ memberships: [(name: String, role: Role)]
    ) -> [(name: String, role: Role)] {
        guard memberships.count > 1 else { return memberships }
        // Already in order, each name once (as planned, nearly always): nothing to do.
        if zip(memberships, memberships.dropFirst()).allSatisfy({ $0.name < $1.name }) { return memberships }
        let sorted = memberships.sorted { $0.name < $1.name }
        var merged = [sorted[0]]
        for membership in sorted.dropFirst() {
            if membership.name == merged[merged.count - 1].name {
                merged[merged.count - 1].role = Swift.max(merged[merged.count - 1].role, membership.role)
            } else {
                merged.append(membership)
            }
        }
        return merged
    }
}

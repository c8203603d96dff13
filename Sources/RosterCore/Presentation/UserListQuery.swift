import Foundation

/// `roster users list`: search, filters, sort and paging over the directory (SPEC §5).
public struct UserListQuery: Sendable {
    public enum SortKey: String, Sendable, CaseIterable {
        case email, username, first, last, type, status
        case lastLogin = "last-login"
        case created
        case id
        case origin
    }

    public var search: String?
    public var type: UserType?
    public var status: UserStatus?
    public var origin: String?
    public var role: String?
    public var group: String?
    public var sort: SortKey
    public var descending: Bool
    public var page: Int
    public var perPage: Int
    /// Every match, no paging.
    public var all: Bool

    public init(
        search: String? = nil, type: UserType? = nil, status: UserStatus? = nil, origin: String? = nil,
        role: String? = nil, group: String? = nil, sort: SortKey = .email, descending: Bool = false, page: Int = 1,
        perPage: Int = 25, all: Bool = false
    ) {
        self.search = search
        self.type = type
        self.status = status
        self.origin = origin
        self.role = role
        self.group = group
        self.sort = sort
        self.descending = descending
        self.page = page
        self.perPage = perPage
        self.all = all
    }

    public struct Result: Sendable {
        public var total: Int
        public var page: Int
        public var perPage: Int
        public var users: [DirectoryUser]
        /// 1-based index of the first user shown (0 when none).
        public var first: Int { users.isEmpty ? 0 : (page - 1) * perPage + 1 }
        public var last: Int { users.isEmpty ? 0 : first + users.count - 1 }
    }

    public func run(_ users: [DirectoryUser]) -> Result {
        let needle = search.map(LDAPText.searchKey)
        let matching = users.filter { user in
            if let type, user.type != type { return false }
            if let status, user.status != status { return false }
            if let origin, user.origin != origin { return false }
            if let role, !user.assignments.contains(where: { $0.kind == .role && $0.name == role }) { return false }
            if let group, !user.assignments.contains(where: { $0.kind == .group && $0.name == group }) { return false }
            if let needle, !needle.isEmpty {
                let fields = [
                    user.email, user.username, user.firstName, user.lastName, "\(user.firstName) \(user.lastName)",
                ]
                if !fields.contains(where: { LDAPText.searchKey($0).contains(needle) }) { return false }
            }
            return true
        }
        // Keys computed once per user, not once per comparison.
        let keyed = matching.map { (user: $0, key: sortKey($0)) }
        let sorted = keyed.sorted { lhs, rhs in
            if lhs.key != rhs.key { return descending ? lhs.key > rhs.key : lhs.key < rhs.key }
            return descending ? lhs.user.id > rhs.user.id : lhs.user.id < rhs.user.id
        }.map(\.user)
        if all { return Result(total: sorted.count, page: 1, perPage: max(sorted.count, 1), users: sorted) }
        let size = max(perPage, 1)
        let start = min(max(page - 1, 0) * size, sorted.count)
        let end = min(start + size, sorted.count)
        return Result(total: sorted.count, page: max(page, 1), perPage: size, users: Array(sorted[start..<end]))
    }

    /// What `sort` orders by, as comparable text; a missing last login sorts before any date.
    private func sortKey(_ user: DirectoryUser) -> String {
        switch sort {
        case .email: return LDAPText.searchKey(user.email)
        case .username: return LDAPText.searchKey(user.username)
        case .first: return LDAPText.searchKey(user.firstName)
        case .last: return LDAPText.searchKey(user.lastName)
        case .type: return user.type.rawValue
        case .status: return user.status.rawValue
        case .lastLogin: return user.lastLogin.map(Timestamp.string) ?? ""
        case .created: return Timestamp.string(user.createdAt)
        // Zero-padded so that text order is number order.
        case .id: return String(repeating: "0", count: max(0, 20 - String(user.id).count)) + String(user.id)
        case .origin: return LDAPText.searchKey(user.origin)
        }
    }
}

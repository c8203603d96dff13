import Foundation
import RosterCore

/// A cookie as stored: with the source settings its entries were read under. Entries cached
/// under other bases, filters or attributes are not what a full read would give now, so a
/// cookie taken under other settings is refused and the source read in full.
struct StoredCookie: Codable, Equatable {
    var settings: String
    var cookie: IncrementalCookie

    var text: String {
        // Encoding these plain values cannot fail.
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    init(settings: String, cookie: IncrementalCookie) {
        self.settings = settings
        self.cookie = cookie
    }

    init?(text: String) {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) else { return nil }
        self = value
    }

    /// What decides which entries a read returns and what is kept of them.
    static func settings(_ options: LDAPSourceOptions, selectorAttributes: [String]) -> String {
        let users = options.users
        let map = users.attributes
        var parts = [
            options.flavor.rawValue, users.base, users.filter ?? "", map.id, map.username, map.email, map.firstName,
            map.lastName, options.rangeSize.map(String.init) ?? "",
            selectorAttributes.map { $0.lowercased() }.sorted().joined(separator: ","),
        ]
        if let groups = options.groups {
            parts += [
                groups.base, groups.filter ?? "", groups.memberAttribute, groups.nameAttribute, "\(groups.nested)",
            ]
        }
        return parts.joined(separator: "\u{1F}")
    }
}

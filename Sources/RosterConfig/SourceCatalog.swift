import RosterCore

/// What the mapping checks need to know about each source written under `sources:`, including
/// sources whose own settings had problems (so a mapping naming one is not also "unknown").
struct SourceCatalog {
    struct Entry {
        /// `ldap`, `ldif` or `oidc`; nil when the source's type itself is missing or wrong.
        var type: SourceType?
        /// The decoded source; nil when its settings had problems.
        var configuration: SourceConfiguration?

        /// The source's group settings, when it decoded and reads groups at all.
        var groups: GroupQuery? {
            switch configuration?.kind {
            case .ldap(let options): return options.groups
            case .ldif(let options): return options.groups
            case .oidc, nil: return nil
            }
        }
    }

    /// In the order written, for messages listing them.
    var names: [String] = []
    var entries: [String: Entry] = [:]
}

/// The `type:` of a source.
enum SourceType: String, CaseIterable {
    case ldap
    case oidc
    case ldif

    /// Directory sources have entries, attributes and groups; OIDC sources have claims.
    var isDirectory: Bool { self != .oidc }
}

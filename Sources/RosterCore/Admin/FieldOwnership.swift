/// Which user fields a source owns, so that an admin's edit would be undone by the next sync.
///
/// The name and email belong to one source: the user's origin while they have an identity
/// there, else the first configured source that knows them (the planner's rule). The type
/// belongs to sync when a mapping of one of the user's sources, or the defaults, set a type.
public struct FieldOwnership: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case username
        case email
        case firstName = "first_name"
        case lastName = "last_name"
        case type
    }

    public let configuration: RosterConfiguration

    public init(configuration: RosterConfiguration) {
        self.configuration = configuration
    }

    /// Why `field` of `user` cannot be edited by hand, naming the source and mapping; nil when it can.
    public func owner(of field: Field, for user: DirectoryUser) -> String? {
        let name = UserReference.label(user)
        if field == .type {
            let origins = typeOrigins(for: user)
            guard !origins.isEmpty else { return nil }
            let sources = Set(origins.compactMap(\.source)).sorted().joined(separator: ", ")
            return "the type of \(name) is set by sync from \(sources) through "
                + origins.map(\.description).joined(separator: ", ")
                + "; change the mapping or the user's groups in the source, not the user"
        }
        guard let source = nameSource(for: user) else { return nil }
        let label = field.rawValue.replacingOccurrences(of: "_", with: " ")
        return "the \(label) of \(name) comes from source \(source.name) (mapping \(attribute(field, in: source))); "
            + "change it in \(source.name), since the next sync would undo an edit here"
    }

    /// The source that owns the name and email of `user`, if any is configured.
    public func nameSource(for user: DirectoryUser) -> SourceConfiguration? {
        if user.identity(in: user.origin) != nil, let origin = configuration.source(named: user.origin) {
            return origin
        }
        return configuration.sources.first { user.identity(in: $0.name) != nil }
    }

    /// The mappings (and `defaults`) that set a type for users of `user`'s sources.
    public func typeOrigins(for user: DirectoryUser) -> [AssignmentOrigin] {
        var origins: [AssignmentOrigin] = []
        for source in configuration.sources where user.identity(in: source.name) != nil {
            for rule in configuration.mappings where rule.source == source.name && rule.type != nil && !rule.exclude {
                origins.append(.mapping(id: rule.id, source: source.name))
            }
            if configuration.defaults.type != nil { origins.append(.mapping(id: "defaults", source: source.name)) }
        }
        return origins
    }

    /// `sources.demo.users.attributes.email: mail`: where the source's value comes from.
    private func attribute(_ field: Field, in source: SourceConfiguration) -> String {
        let prefix = "sources.\(source.name)"
        switch source.kind {
        case .ldap(let options): return attributeText(field, options.users.attributes, prefix)
        case .ldif(let options): return attributeText(field, options.users.attributes, prefix)
        case .oidc(let options):
            let claims = options.claims
            let claim: String
            switch field {
            case .username: claim = claims.username
            case .email: claim = claims.email
            case .firstName: claim = claims.firstName
            case .lastName, .type: claim = claims.lastName
            }
            return "\(prefix).claims.\(field.rawValue): \(claim)"
        }
    }

    private func attributeText(_ field: Field, _ map: AttributeMap, _ prefix: String) -> String {
        let attribute: String
        switch field {
        case .username: attribute = map.username
        case .email: attribute = map.email
        case .firstName: attribute = map.firstName
        case .lastName, .type: attribute = map.lastName
        }
        return "\(prefix).users.attributes.\(field.rawValue): \(attribute)"
    }
}

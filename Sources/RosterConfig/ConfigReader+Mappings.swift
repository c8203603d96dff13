import RosterCore

/// `mappings:`: each rule's id, source and selector, checked against the sources and roles.
extension ConfigReader {
    static let mappingKeys = [
        "id", "source", "group", "group_name", "claim", "value", "attribute", "ignore_case", "exclude", "type",
        "roles", "groups", "projects",
    ]
    static let selectorKeys = ["group", "group_name", "claim", "attribute"]

    func mappings(_ field: Field?, sources: SourceCatalog, roleNames: [String]) -> [MappingRule] {
        guard let field else { return [] }
        guard let items = field.node.items else {
            fail(
                "expected a list of mappings (- id: …) for \(field.name), found \(field.node.kindDescription)",
                at: field.mark)
            return []
        }
        var firstIDs: [String: (index: Int, mark: YAMLMark)] = [:]
        var rules: [MappingRule] = []
        for (index, item) in items.enumerated() {
            let context = "mappings[\(index)]"
            guard
                let fields = fields(
                    item, context: context, allowed: Self.mappingKeys, what: "a mapping rule (- id: …, source: …)")
            else { continue }
            let problemsBefore = problems.count
            let id = mappingID(fields, index: index, firstIDs: &firstIDs)
            let source = mappingSource(fields, sources: sources)
            let selector = selector(fields, source: source.flatMap { sources.entries[$0] })
            let grants = grants(fields, roleNames: roleNames, captures: selector.captures)
            checkIntent(fields, hasSelector: selector.present, grants: grants)
            guard let id, let source, problems.count == problemsBefore else { continue }
            rules.append(
                MappingRule(
                    id: id, source: source, selector: selector.value, exclude: grants.exclude, type: grants.type,
                    roles: grants.roles, groups: grants.groups, projects: grants.projects,
                    location: location(of: item.mark)))
        }
        return rules
    }

    private func mappingID(
        _ fields: Fields, index: Int, firstIDs: inout [String: (index: Int, mark: YAMLMark)]
    ) -> String? {
        guard let field = required(fields, "id", example: "ml-admins"), let id = string(field, what: "an id"),
            checkName(id, at: field.mark, what: "mapping id")
        else { return nil }
        if id == "defaults" {
            // `mapping:defaults@SOURCE` is the origin of the `defaults:` grants.
            fail(
                "mapping id \"defaults\" is reserved for the grants of defaults:; give this mapping another id",
                at: field.mark)
            return nil
        }
        if let first = firstIDs[id] {
            fail(
                "duplicate mapping id \"\(id)\" in \(fields.context); mappings[\(first.index)] at line"
                    + " \(first.mark.line) already uses it: give each mapping its own id", at: field.mark)
            return nil
        }
        firstIDs[id] = (index, field.mark)
        return id
    }

    private func mappingSource(_ fields: Fields, sources: SourceCatalog) -> String? {
        guard let field = required(fields, "source", example: sources.names.first ?? "corp"),
            let name = string(field, what: "a source name")
        else { return nil }
        guard sources.entries[name] != nil else {
            var message = "unknown source \"\(name)\" in \(field.name)"
            if sources.names.isEmpty {
                message += "; no sources are configured: add it under sources:"
            } else {
                message += " (configured: \(sources.names.joined(separator: ", ")))"
                if let suggestion = Suggestion.closest(to: name, among: sources.names) {
                    message += "; did you mean \"\(suggestion)\"?"
                }
            }
            fail(message, at: field.mark)
            return nil
        }
        return name
    }

    // MARK: - Intent

    /// A rule must do something, and excluding rules grant nothing.
    private func checkIntent(_ fields: Fields, hasSelector: Bool, grants: MappingGrants) {
        let exclude = fields["exclude"]
        if grants.exclude, let exclude {
            if grants.grantsSomething {
                fail(
                    "\(fields.context) has exclude: true and also grants type, roles, groups or projects;"
                        + " an excluding rule grants nothing: move the grants to another mapping", at: exclude.keyMark)
            } else if !hasSelector {
                fail(
                    "\(fields.context) has exclude: true but no selector, so it would exclude every user of its"
                        + " source; add group, group_name, claim or attribute", at: exclude.keyMark)
            }
        } else if !grants.grantsSomething, !grants.hadProblems, fields.rejectedKeys.isEmpty {
            fail(
                "\(fields.context) grants nothing; give it type, roles, groups or projects, or exclude: true",
                at: fields.mark)
        }
    }
}

import RosterCore

/// What one mapping rule gives (or, with `exclude`, takes out of scope).
struct MappingGrants {
    var exclude = false
    var type: UserType?
    var roles: [String] = []
    var groups: [GroupGrant] = []
    var projects: [ProjectGrant] = []
    /// Some grant key was written but had problems, so "grants nothing" would be a false alarm.
    var hadProblems = false

    var grantsSomething: Bool { type != nil || !roles.isEmpty || !groups.isEmpty || !projects.isEmpty }
}

/// `exclude`, `type`, `roles`, `groups` and `projects` of a mapping, with every `${…}` in a
/// granted name checked against what the selector captures: a typo there must fail loudly,
/// never grant an empty name.
extension ConfigReader {
    func grants(_ fields: Fields, roleNames: [String], captures: CaptureInfo?) -> MappingGrants {
        let before = problems.count
        var grants = MappingGrants()
        grants.exclude = bool(fields["exclude"]) ?? false
        grants.type = choice(fields["type"], UserType.self)
        grants.roles = roleList(fields["roles"], roleNames: roleNames) ?? []
        grants.groups = groupGrants(fields["groups"], captures: captures)
        grants.projects = projectGrants(fields["projects"], captures: captures)
        grants.hadProblems = problems.count != before
        return grants
    }

    private func groupGrants(_ field: Field?, captures: CaptureInfo?) -> [GroupGrant] {
        guard let field else { return [] }
        guard let items = field.node.items else {
            fail(
                "expected a list of groups for \(field.name), found \(field.node.kindDescription); write"
                    + " [team-ml] or [{name: ml, role: admin}]", at: field.mark)
            return []
        }
        var grants: [GroupGrant] = []
        for (index, item) in items.enumerated() {
            let itemField = Field(node: item, name: "\(field.name)[\(index)]", keyMark: item.mark)
            if item.entries != nil {
                guard let entry = fields(item, context: itemField.name, allowed: ["name", "role"]),
                    let name = template(required(entry, "name", example: "team-${team}"), captures: captures)
                else { continue }
                let role = choice(entry["role"], GroupRole.self) ?? .member
                grants.append(GroupGrant(name: name, role: role))
            } else if let name = template(itemField, captures: captures) {
                grants.append(GroupGrant(name: name))
            }
        }
        return grants
    }

    private func projectGrants(_ field: Field?, captures: CaptureInfo?) -> [ProjectGrant] {
        var grants: [ProjectGrant] = []
        for entry in namedEntries(field, what: "a mapping of project name: owner | user | read-only") {
            let name = Field(
                node: YAMLNode(content: .scalar(YAMLScalar(value: entry.key, isPlain: false)), mark: entry.keyMark),
                name: field?.name ?? "projects", keyMark: entry.keyMark)
            let roleField = Field(
                node: entry.value, name: "\(field?.name ?? "projects").\(entry.key)", keyMark: entry.keyMark)
            let template = template(name, captures: captures)
            let role = roleField.node.isNull ? nil : choice(roleField, ProjectRole.self)
            if roleField.node.isNull {
                fail(
                    "\(roleField.name) has no role; write \"\(entry.key)\": owner, user or read-only",
                    at: entry.keyMark)
            }
            if let template, let role {
                grants.append(ProjectGrant(name: template, role: role))
            }
        }
        return grants
    }

    /// A granted name; each `${…}` must be something the selector captures.
    private func template(_ field: Field?, captures: CaptureInfo?) -> NameTemplate? {
        guard let field, let text = string(field, what: "a name") else { return nil }
        let template: NameTemplate
        do {
            template = try NameTemplate(text)
        } catch {
            fail("\(error) in \(field.name)", at: field.mark)
            return nil
        }
        // Unknown captures (the selector itself was wrong) are not checked: its problem is reported.
        guard let captures else { return template }
        if let missing = template.unresolvedReference(names: captures.names, count: captures.count) {
            let source =
                captures.selector.isEmpty
                ? "the mapping has no selector to capture from; use group_name, claim or attribute with a pattern"
                : "\(captures.selector) captures \(captures.available)"
            var message = "\(missing) in \(field.name) (\"\(text)\") is not captured: \(source)"
            if missing.hasPrefix("${"),
                let suggestion = Suggestion.closest(
                    to: String(missing.dropFirst(2).dropLast()), among: Array(captures.names))
            {
                message += "; did you mean ${\(suggestion)}?"
            }
            fail(message, at: field.mark)
            return nil
        }
        return template
    }
}

import RosterCore

/// What a selector offers `${…}` references in the names a rule grants.
struct CaptureInfo {
    var names: Set<String>
    var count: Int
    /// The selector as written, for messages: `group_name "^team-(?<team>.+)$"`.
    var selector: String

    static let nothing = CaptureInfo(names: [], count: 0, selector: "")

    /// "${team}, ${1}" or "nothing".
    var available: String {
        let all = names.sorted().map { "${\($0)}" } + (0..<count).map { "${\($0 + 1)}" }
        return all.isEmpty ? "nothing" : all.joined(separator: ", ")
    }
}

/// A rule's selector as read: whether one was written, what it is, and its captures.
struct SelectorResult {
    /// A selector key was written (even if its value was wrong).
    var present: Bool
    var value: MappingRule.Selector?
    /// Nil when the selector had problems: its captures are unknown, so names are not checked.
    var captures: CaptureInfo?
}

/// The selector keys of a mapping: `group`, `group_name`, `claim`+`value`, `attribute`+`value`.
extension ConfigReader {
    func selector(_ fields: Fields, source: SourceCatalog.Entry?) -> SelectorResult {
        let written = fields.entries.filter { Self.selectorKeys.contains($0.key) }
        let ignoreCase = fields["ignore_case"]
        if let ignoreCase, written.first?.key != "claim" {
            fail(
                "ignore_case in \(fields.context) only applies to claim selectors (LDAP values always compare"
                    + " case-insensitively); remove it", at: ignoreCase.keyMark)
        }
        guard let key = written.first?.key else {
            if let value = fields.entry("value") {
                fail(
                    "value in \(fields.context) needs claim or attribute next to it: it is what that claim or"
                        + " attribute must match", at: value.keyMark)
                return SelectorResult(present: true, value: nil, captures: nil)
            }
            return SelectorResult(present: false, value: nil, captures: .nothing)
        }
        if written.count > 1 {
            fail(
                "\(fields.context) has two selectors, \(written[0].key) and \(written[1].key); a mapping has at most"
                    + " one: split it into two mappings", at: written[1].keyMark)
            return SelectorResult(present: true, value: nil, captures: nil)
        }
        let usesValue = key == "claim" || key == "attribute"
        if !usesValue, let value = fields.entry("value") {
            fail(
                "value in \(fields.context) goes with claim or attribute, not with \(key); remove it",
                at: value.keyMark)
        }
        guard let field = fields[key] ?? required(fields, key, example: "…") else {
            return SelectorResult(present: true, value: nil, captures: nil)
        }
        guard checkSourceFits(key, field: field, context: fields.context, source: source) else {
            return SelectorResult(present: true, value: nil, captures: nil)
        }
        let value: MappingRule.Selector?
        let pattern: ValuePattern?
        switch key {
        case "group":
            value = groupSelector(field, source: source)
            pattern = nil
        case "group_name":
            pattern = valuePattern(field, ignoreCase: true)
            value = pattern.map { .groupName($0) }
        case "claim":
            let path = claimPath(field)
            pattern = valuePattern(
                required(fields, "value", example: "\"^proj-(?<project>.+)$\""), ignoreCase: bool(ignoreCase) ?? false)
            value = path.flatMap { path in pattern.map { .claim(path: path, value: $0) } }
        default:
            let name = attributeName(field)
            pattern = valuePattern(required(fields, "value", example: "\"4711\""), ignoreCase: true)
            value = name.flatMap { name in pattern.map { .attribute(name: name, value: $0) } }
        }
        guard let value else { return SelectorResult(present: true, value: nil, captures: nil) }
        let captures = pattern.map {
            CaptureInfo(names: $0.captureNames, count: $0.captureCount, selector: "\(key) \"\($0.text)\"")
        }
        return SelectorResult(
            present: true, value: value,
            captures: captures
                ?? CaptureInfo(
                    names: [], count: 0, selector: "group \"\(field.node.text ?? "")\""))
    }

    /// Claims exist only on OIDC sources; groups and attributes only on directory sources.
    private func checkSourceFits(_ key: String, field: Field, context name: String, source: SourceCatalog.Entry?)
        -> Bool
    {
        guard let source, let type = source.type else { return true }
        if key == "claim", type.isDirectory {
            fail(
                "claim in \(name) needs an oidc source, but its source is \(type.rawValue); use attribute or"
                    + " group_name", at: field.keyMark)
            return false
        }
        if key != "claim", !type.isDirectory {
            fail(
                "\(key) in \(name) needs an ldap or ldif source, but its source is oidc; use claim: groups with"
                    + " value:", at: field.keyMark)
            return false
        }
        if key == "group" || key == "group_name", let configuration = source.configuration, source.groups == nil {
            fail(
                "\(key) in \(name) can never match: sources.\(configuration.name) has no groups: block; add"
                    + " groups: {base: …} to that source", at: field.keyMark)
            return false
        }
        return true
    }

    /// A group DN, normalised, and under the source's `groups.base` (else it is never read).
    private func groupSelector(_ field: Field, source: SourceCatalog.Entry?) -> MappingRule.Selector? {
        guard let dn = distinguishedName(field, example: "cn=ml-admins,ou=groups,dc=example,dc=com") else {
            return nil
        }
        if let name = source?.configuration?.name, let base = source?.groups,
            let normalizedBase = try? dnNormalizer.normalize(base.base),
            dn.normalized != normalizedBase, !dn.normalized.hasSuffix("," + normalizedBase)
        {
            fail(
                "group \"\(dn.written)\" in \(field.name) is not under sources.\(name).groups.base"
                    + " (\(base.base)), so it is never read and never matches; fix the DN or the base",
                at: field.mark)
            return nil
        }
        return .group(normalizedDN: dn.normalized, written: dn.written)
    }

    /// A literal, glob or `^…$` regex; a regex that does not compile is reported at its value.
    private func valuePattern(_ field: Field?, ignoreCase: Bool) -> ValuePattern? {
        guard let field, let text = string(field, what: "a value, glob or ^…$ regex") else { return nil }
        do {
            return try ValuePattern(text, ignoreCase: ignoreCase)
        } catch {
            let reason = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
            fail("\(reason) in \(field.name); fix the pattern (a ^…$ value is a regex)", at: field.mark)
            return nil
        }
    }
}

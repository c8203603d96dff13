import RosterCore

/// A value found under a key, with the dotted name messages use for it (`sources.corp.url`).
struct Field {
    var node: YAMLNode
    var name: String
    var keyMark: YAMLMark
    var mark: YAMLMark { node.mark }
}

/// The keys of one mapping, already checked against the keys allowed there.
struct Fields {
    /// Dotted name of the mapping itself (`mappings[2]`); empty at the top level.
    var context: String
    var mark: YAMLMark
    var entries: [YAMLEntry]
    /// Keys that were reported as unknown or refused: follow-on complaints (a rule that "grants
    /// nothing" because its only grant key was misspelt) would only repeat them.
    var rejectedKeys: [String] = []

    /// The value under `key`; nil when the key is absent or its value is null.
    subscript(key: String) -> Field? {
        guard let entry = entry(key), !entry.value.isNull else { return nil }
        return Field(node: entry.value, name: name(of: key), keyMark: entry.keyMark)
    }

    func entry(_ key: String) -> YAMLEntry? {
        entries.first { $0.key == key }
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    func name(of key: String) -> String {
        context.isEmpty ? key : "\(context).\(key)"
    }

    /// "in sources.corp" or "at the top level", for messages.
    var placeName: String { context.isEmpty ? "at the top level" : "in \(context)" }
}

/// Reads typed values out of the YAML tree. Every problem is recorded with its position and
/// reading goes on, so that one `roster config check` shows all mistakes at once.
final class ConfigReader {
    let path: String
    let workingDirectory: String
    let dnNormalizer: any DNNormalizing
    private(set) var problems: [YAMLProblem] = []

    init(path: String, workingDirectory: String, dnNormalizer: any DNNormalizing) {
        self.path = path
        self.workingDirectory = workingDirectory
        self.dnNormalizer = dnNormalizer
    }

    func fail(_ message: String, at mark: YAMLMark) {
        problems.append(YAMLProblem(mark: mark, message: message))
    }

    func add(_ problems: [YAMLProblem]) {
        self.problems += problems
    }

    /// `PATH:LINE:COL`, as stored in `MappingRule.location`.
    func location(of mark: YAMLMark) -> String {
        "\(path):\(mark.line):\(mark.column)"
    }

    /// The keys of a mapping node. Keys outside `allowed` are reported (inline secrets with the
    /// `*_file` key to use instead, typos with the closest allowed key) and left out.
    func fields(_ node: YAMLNode, context: String, allowed: [String], what: String = "a mapping") -> Fields? {
        guard let entries = node.entries else {
            let name = context.isEmpty ? "the file" : context
            fail("expected \(what) for \(name), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        var fields = Fields(context: context, mark: node.mark, entries: [])
        for entry in entries {
            if allowed.contains(entry.key) {
                fields.entries.append(entry)
            } else {
                fields.rejectedKeys.append(entry.key)
                fail(unknownKeyMessage(entry, in: fields, allowed: allowed), at: entry.keyMark)
            }
        }
        return fields
    }

    /// The entries of a mapping whose keys are names chosen by the admin (sources, roles).
    func namedEntries(_ field: Field?, what: String) -> [YAMLEntry] {
        guard let field else { return [] }
        guard let entries = field.node.entries else {
            fail("expected \(what) for \(field.name), found \(field.node.kindDescription)", at: field.mark)
            return []
        }
        return entries
    }

    private func unknownKeyMessage(_ entry: YAMLEntry, in fields: Fields, allowed: [String]) -> String {
        let key = entry.key
        if Self.looksLikeInlineSecret(key) {
            let fileKey =
                allowed.contains(key + "_file")
                ? key + "_file"
                : Suggestion.closest(
                    to: key + "_file", among: allowed.filter { $0.hasSuffix("_file") }, maximumDistance: 12)
            let fix =
                fileKey.map { "put it in a file and use \($0)" } ?? "secrets are only read from files (*_file keys)"
            return "inline secret \"\(key)\" \(fields.placeName) is refused: \(fix)"
        }
        let base = "unknown key \"\(key)\" \(fields.placeName)"
        if key.contains("="), entry.value.isNull {
            // In `{base: ou=people,dc=example}` YAML ends the value at the first comma, so the
            // rest of the DN turns up as keys.
            return "\(base); a DN inside { } must be in quotes: base: \"ou=people,dc=example,dc=com\""
        }
        if let suggestion = Suggestion.closest(to: key, among: allowed) {
            return "\(base); did you mean \"\(suggestion)\"?"
        }
        return "\(base); valid keys are \(allowed.joined(separator: ", "))"
    }

    /// Keys that would carry a secret in the file itself.
    static func looksLikeInlineSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        guard !lower.hasSuffix("_file") else { return false }
        return ["password", "passwd", "secret", "bindpw", "token_key", "private_key", "api_key"].contains {
            lower.contains($0)
        }
    }
}

// Collects problems in place while a configuration is read; one reader per load.
@available(*, unavailable)
extension ConfigReader: Sendable {}

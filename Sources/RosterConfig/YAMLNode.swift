/// A position in the configuration file, 1-based as editors and compilers show it.
struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    var line: Int
    var column: Int

    static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    var description: String { "\(line):\(column)" }
}

/// A problem found in the file, at a position. Collected by the tree builder and the decoders,
/// then turned into `PATH:LINE:COL: message` by `ConfigError`.
struct YAMLProblem: Error, Sendable, Hashable {
    var mark: YAMLMark
    var message: String
}

/// A text value as written, with enough of its spelling kept to tell `~` from `"~"`.
struct YAMLScalar: Sendable, Hashable {
    var value: String
    /// Written without quotes and without an explicit tag: only such scalars can mean null.
    var isPlain: Bool
    /// An explicit tag (`!!str`), expanded by libyaml (`tag:yaml.org,2002:str`).
    var tag: String?

    /// YAML 1.1 null: an empty plain value, `~` or `null`, or anything tagged `!!null`.
    var isNull: Bool {
        if tag == "tag:yaml.org,2002:null" { return true }
        return isPlain && ["", "~", "null", "Null", "NULL"].contains(value)
    }
}

/// One `key: value` pair of a mapping; the key keeps its own position for messages about it.
struct YAMLEntry: Sendable {
    var key: String
    var keyMark: YAMLMark
    var value: YAMLNode
}

/// One node of the parsed document. Mappings keep their keys in the order written.
struct YAMLNode: Sendable {
    enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    var content: Content
    var mark: YAMLMark

    /// The text of a non-null scalar.
    var text: String? {
        if case .scalar(let scalar) = content, !scalar.isNull { return scalar.value }
        return nil
    }

    var isNull: Bool {
        if case .scalar(let scalar) = content { return scalar.isNull }
        return false
    }

    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var entries: [YAMLEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// What the node is, for "expected …, found …" messages.
    var kindDescription: String {
        switch content {
        case .scalar(let scalar) where scalar.isNull: return "nothing"
        case .scalar(let scalar) where scalar.value.count > 40: return "\"\(scalar.value.prefix(37))...\""
        case .scalar(let scalar): return "\"\(scalar.value)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Number of nodes in this subtree, used to bound what aliases may expand to.
    var size: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return items.reduce(1) { $0 + $1.size }
        case .mapping(let entries): return entries.reduce(1) { $0 + 1 + $1.value.size }
        }
    }
}

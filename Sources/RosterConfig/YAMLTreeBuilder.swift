/// A parsed file: its root node (nil when the file holds no document) and the problems that
/// did not stop parsing (duplicate keys, merge keys), reported together with decoding errors.
struct YAMLDocument: Sendable {
    var root: YAMLNode?
    var problems: [YAMLProblem]

    /// Parses `text` with libyaml.
    /// - Throws: `YAMLProblem` for a syntax error, which ends parsing.
    static func parse(_ text: String) throws(YAMLProblem) -> YAMLDocument {
        var builder = YAMLTreeBuilder(parser: try YAMLParser(text: text))
        return try builder.build()
    }
}

/// Assembles libyaml's events into `YAMLNode`s. Aliases are resolved by copying the anchored
/// node, within a size budget so that a "billion laughs" file cannot exhaust memory or time.
struct YAMLTreeBuilder: ~Copyable {
    /// Deep enough for any real configuration, shallow enough to never exhaust the stack.
    static let maximumDepth = 64
    /// Total nodes, counting each alias expansion in full.
    static let maximumNodes = 100_000

    private let parser: YAMLParser
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var nodeCount = 0
    private var problems: [YAMLProblem] = []

    init(parser: YAMLParser) {
        self.parser = parser
    }

    mutating func build() throws(YAMLProblem) -> YAMLDocument {
        var root: YAMLNode?
        var event = try parser.next()
        while event.kind != .streamEnd {
            switch event.kind {
            case .documentStart:
                if root != nil {
                    throw YAMLProblem(
                        mark: event.mark,
                        message:
                            "a second YAML document starts here; roster.yaml holds one document, remove the \"---\"")
                }
                root = try node(from: try parser.next(), depth: 0)
                let end = try parser.next()
                guard end.kind == .documentEnd else {
                    throw YAMLProblem(mark: end.mark, message: "YAML syntax error: expected the end of the document")
                }
            default:
                break
            }
            event = try parser.next()
        }
        return YAMLDocument(root: root, problems: problems)
    }

    private mutating func node(from event: YAMLEvent, depth: Int) throws(YAMLProblem) -> YAMLNode {
        guard depth < Self.maximumDepth else {
            throw YAMLProblem(mark: event.mark, message: "nesting is deeper than \(Self.maximumDepth) levels")
        }
        let built: YAMLNode
        switch event.kind {
        case .alias(let anchor):
            guard let anchored = anchors[anchor] else {
                throw YAMLProblem(
                    mark: event.mark, message: "alias *\(anchor) refers to no anchor &\(anchor) defined before it")
            }
            try count(anchored.size, at: event.mark)
            var copy = anchored.node
            copy.mark = event.mark
            return copy
        case .scalar(let scalar):
            try count(1, at: event.mark)
            built = YAMLNode(content: .scalar(scalar), mark: event.mark)
        case .sequenceStart:
            try count(1, at: event.mark)
            var items: [YAMLNode] = []
            var next = try parser.next()
            while next.kind != .sequenceEnd {
                items.append(try node(from: next, depth: depth + 1))
                next = try parser.next()
            }
            built = YAMLNode(content: .sequence(items), mark: event.mark)
        case .mappingStart:
            try count(1, at: event.mark)
            built = YAMLNode(content: .mapping(try entries(depth: depth)), mark: event.mark)
        default:
            throw YAMLProblem(mark: event.mark, message: "YAML syntax error: expected a value")
        }
        if let anchor = event.anchor {
            anchors[anchor] = (built, built.size)
        }
        return built
    }

    /// The entries of a mapping up to its end; keys must be plain text and appear once.
    private mutating func entries(depth: Int) throws(YAMLProblem) -> [YAMLEntry] {
        var entries: [YAMLEntry] = []
        var seen: [String: YAMLMark] = [:]
        var keyEvent = try parser.next()
        while keyEvent.kind != .mappingEnd {
            let keyNode = try node(from: keyEvent, depth: depth + 1)
            let value = try node(from: try parser.next(), depth: depth + 1)
            keyEvent = try parser.next()
            guard case .scalar(let scalar) = keyNode.content else {
                problems.append(
                    YAMLProblem(mark: keyNode.mark, message: "a key must be a name, not \(keyNode.kindDescription)"))
                continue
            }
            let key = scalar.value
            // `{base: ou=people,dc=example,dc=com}` (as SPEC §3 writes it): YAML ends a plain value
            // at the first comma inside { }, leaving `dc=example` and `dc=com` as empty keys. Such a
            // key can mean nothing else, so the pieces are joined back into the DN.
            if scalar.isPlain, key.contains("="), value.isNull, let last = entries.last,
                case .scalar(var previous) = last.value.content, previous.isPlain, !previous.isNull,
                previous.value.contains("=")
            {
                previous.value += "," + key
                entries[entries.count - 1].value.content = .scalar(previous)
                continue
            }
            if key == "<<", scalar.isPlain {
                problems.append(
                    YAMLProblem(
                        mark: keyNode.mark, message: "merge keys (<<) are not supported; write the keys out in full"))
                continue
            }
            if let first = seen[key] {
                problems.append(
                    YAMLProblem(
                        mark: keyNode.mark,
                        message: "duplicate key \"\(key)\" (first at line \(first.line), column \(first.column));"
                            + " remove one of them"))
                continue
            }
            seen[key] = keyNode.mark
            entries.append(YAMLEntry(key: key, keyMark: keyNode.mark, value: value))
        }
        return entries
    }

    private mutating func count(_ nodes: Int, at mark: YAMLMark) throws(YAMLProblem) {
        nodeCount += nodes
        guard nodeCount <= Self.maximumNodes else {
            throw YAMLProblem(
                mark: mark,
                message: "the document expands to more than \(Self.maximumNodes) values (aliases included);"
                    + " write it out without so many aliases")
        }
    }
}

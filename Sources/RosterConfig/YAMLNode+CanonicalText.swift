import RosterCore

extension YAMLNode {
    /// The node as canonical JSON: everything parsed, keys in the order written (a source's
    /// place decides ties), each scalar with its spelling (plain or quoted, its tag); no comment,
    /// no layout, no position.
    var canonicalText: String {
        var writer = CanonicalJSONWriter()
        writer.write(canonicalValue)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private var canonicalValue: JSONValue {
        switch content {
        case .scalar(let scalar):
            return .object([
                "scalar": .string(scalar.value), "plain": .bool(scalar.isPlain),
                "tag": scalar.tag.map(JSONValue.string) ?? .null,
            ])
        case .sequence(let items):
            return .object(["sequence": .array(items.map(\.canonicalValue))])
        case .mapping(let entries):
            return .object(["mapping": .array(entries.map { .array([.string($0.key), $0.value.canonicalValue]) })])
        }
    }
}

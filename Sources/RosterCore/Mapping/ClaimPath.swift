/// Reads a dotted claim path (`realm_access.roles`) from OIDC claims. Arrays met on the way are
/// searched; a single string counts as a one-element list.
public enum ClaimPath {
    public static func strings(at path: String, in claims: JSONValue) -> [String] {
        var current: [JSONValue] = [claims]
        for component in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            var next: [JSONValue] = []
            for value in current { collect(component, in: value, into: &next) }
            current = next
        }
        return current.flatMap(flatten)
    }

    private static func collect(_ key: String, in value: JSONValue, into output: inout [JSONValue]) {
        switch value {
        case .object(let object):
            if let found = object[key] { output.append(found) }
        case .array(let array):
            for element in array { collect(key, in: element, into: &output) }
        default:
            break
        }
    }

    private static func flatten(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let string): return [string]
        case .int(let int): return [String(int)]
        case .bool(let bool): return [bool ? "true" : "false"]
        case .double(let double): return [String(double)]
        case .array(let array): return array.flatMap(flatten)
        case .null, .object: return []
        }
    }
}

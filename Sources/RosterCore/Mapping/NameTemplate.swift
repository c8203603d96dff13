/// A group or project name with `${name}`, `${1}` or `$1` references to a selector's captures.
/// What substitution produces is a literal name, never a pattern.
public struct NameTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case text(String)
        case named(String)
        case numbered(Int)
    }

    public let text: String
    public let parts: [Part]

    public struct InvalidTemplate: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws {
        self.text = text
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                literal.append(character)
                index = next
                continue
            }
            if text[next] == "{" {
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw InvalidTemplate(description: "unclosed \"${\" in \"\(text)\"; write ${name} or ${1}")
                }
                let reference = String(text[text.index(after: next)..<close])
                guard !reference.isEmpty else {
                    throw InvalidTemplate(description: "empty \"${}\" in \"\(text)\"; write ${name} or ${1}")
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                if let number = Int(reference) {
                    parts.append(.numbered(number))
                } else {
                    parts.append(.named(reference))
                }
                index = text.index(after: close)
            } else if text[next].isASCII, text[next].isNumber {
                var end = next
                while end < text.endIndex, text[end].isASCII, text[end].isNumber { end = text.index(after: end) }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(.numbered(Int(text[next..<end])!))
                index = end
            } else {
                literal.append(character)
                index = next
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    public var description: String { text }

    public var usesCaptures: Bool {
        parts.contains { if case .text = $0 { return false } else { return true } }
    }

    /// The first reference the pattern cannot fill, described for a config error.
    public func unresolvedReference(names: Set<String>, count: Int) -> String? {
        for part in parts {
            switch part {
            case .text: continue
            case .named(let name) where !names.contains(name): return "${\(name)}"
            case .numbered(let number) where number < 1 || number > count: return "${\(number)}"
            default: continue
            }
        }
        return nil
    }

    /// The literal name for one match.
    public func render(_ captures: Captures) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text): output += text
            case .named(let name): output += captures.named[name] ?? ""
            case .numbered(let number):
                if number >= 1, number <= captures.numbered.count { output += captures.numbered[number - 1] }
            }
        }
        return output
    }
}

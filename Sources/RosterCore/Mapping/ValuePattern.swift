/// A value to match, written as a literal, a glob (`*`, `?`) or an anchored regex (`^…$`).
public struct ValuePattern: Sendable {
    public enum Form: String, Sendable {
        case literal
        case glob
        case regex
    }

    public let text: String
    public let form: Form
    public let ignoreCase: Bool
    /// Named groups of a regex, for checking `${name}` references when the config loads.
    public let captureNames: Set<String>
    /// Numbered captures: regex groups, or one per `*` of a glob.
    public let captureCount: Int
    private let regex: CompiledRegex?

    public struct InvalidPattern: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// - Throws: `InvalidPattern` when a `^…$` regex does not compile.
    public init(_ text: String, ignoreCase: Bool) throws {
        self.text = text
        self.ignoreCase = ignoreCase
        if text.count >= 2, text.hasPrefix("^"), text.hasSuffix("$") {
            form = .regex
            do {
                regex = CompiledRegex(try Regex(text), ignoreCase: ignoreCase)
            } catch {
                throw InvalidPattern(description: "invalid regular expression \"\(text)\": \(error)")
            }
            (captureNames, captureCount) = Self.regexCaptures(text)
        } else if text.contains("*") || text.contains("?") {
            form = .glob
            regex = CompiledRegex(try Regex(Self.globToRegex(text)), ignoreCase: ignoreCase)
            captureNames = []
            captureCount = text.filter { $0 == "*" }.count
        } else {
            form = .literal
            regex = nil
            captureNames = []
            captureCount = 0
        }
    }

    /// The captures when `value` matches the whole pattern, else nil.
    public func match(_ value: String) -> Captures? {
        guard let regex else {
            let equal = ignoreCase ? LDAPText.equalIgnoringCase(value, text) : value == text
            return equal ? Captures() : nil
        }
        guard let match = try? regex.regex.wholeMatch(in: value) else { return nil }
        var captures = Captures()
        for index in 1..<max(match.output.count, 1) {
            let element = match.output[index]
            let captured = element.substring.map(String.init) ?? ""
            captures.numbered.append(captured)
            if let name = element.name { captures.named[name] = captured }
        }
        return captures
    }

    /// Glob to an anchored-by-wholeMatch regex: each `*` a numbered capture, `?` one character.
    private static func globToRegex(_ glob: String) -> String {
        var pattern = ""
        for character in glob {
            switch character {
            case "*": pattern += "(.*)"
            case "?": pattern += "."
            default:
                if character.isASCII, !(character.isLetter || character.isNumber) {
                    pattern += "\\" + String(character)
                } else {
                    pattern.append(character)
                }
            }
        }
        return pattern
    }

    /// Named groups and the number of capturing groups, read from the pattern's text.
    private static func regexCaptures(_ pattern: String) -> (Set<String>, Int) {
        var names = Set<String>()
        var count = 0
        let characters = Array(pattern)
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "(" {
                let rest = characters[(index + 1)...]
                if rest.first != "?" {
                    count += 1
                } else if rest.starts(with: ["?", "<"]) || rest.starts(with: ["?", "P", "<"]) {
                    let nameStart = rest.starts(with: ["?", "P", "<"]) ? index + 4 : index + 3
                    if nameStart < characters.count, characters[nameStart] != "=", characters[nameStart] != "!",
                        let close = characters[nameStart...].firstIndex(of: ">")
                    {
                        names.insert(String(characters[nameStart..<close]))
                        count += 1
                    }
                }
            }
            index += 1
        }
        return (names, count)
    }
}

/// What a match captured: `${1}`… and `${name}`.
public struct Captures: Sendable, Hashable {
    public var numbered: [String] = []
    public var named: [String: String] = [:]

    public init(numbered: [String] = [], named: [String: String] = [:]) {
        self.numbered = numbered
        self.named = named
    }
}

// Regex<AnyRegexOutput> is not Sendable only because its output type may carry `Any`; this
// wrapper never exposes outputs (matches are copied into `Captures` of Strings), the Regex is a
// `let` never mutated after init, and the standard library compiles its program lazily with an
// atomic publish, so concurrent matching is safe.
private final class CompiledRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>, ignoreCase: Bool) {
        self.regex = ignoreCase ? regex.ignoresCase() : regex
    }
}

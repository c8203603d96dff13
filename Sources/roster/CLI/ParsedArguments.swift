/// What the parser found for one command, typed on access.
struct ParsedArguments: Sendable {
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    var positionals: [String] = []
    /// The command path for messages (`roster users list`).
    var commandPath: String

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func value(_ name: String) -> String? { values[name]?.last }

    func values(_ name: String) -> [String] { values[name] ?? [] }

    /// An integer option, or a usage error naming it.
    func integer(_ name: String, default fallback: Int, minimum: Int = 1) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), number >= minimum else {
            throw UsageError("\(commandPath): \(name) takes a whole number of at least \(minimum), not \"\(text)\"")
        }
        return number
    }

    /// An option whose value must be one of an enum's raw values.
    func choice<T: RawRepresentable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = value(name) else { return nil }
        guard let choice = T(rawValue: text) else {
            throw UsageError("\(commandPath): \(name) does not accept \"\(text)\"")
        }
        return choice
    }
}

/// A wrong command line: printed as one sentence, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

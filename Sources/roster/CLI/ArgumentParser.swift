import RosterCore

/// Parses one command's arguments against its declared options and positionals.
enum ArgumentParser {
    static func parse(
        _ arguments: [String], options: [OptionSpec], positionals: [PositionalSpec], commandPath: String
    ) throws -> ParsedArguments {
        var parsed = ParsedArguments(commandPath: commandPath)
        let byName = Dictionary(uniqueKeysWithValues: options.map { ($0.name, $0) })
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument.hasPrefix("-"), argument != "-", !onlyPositionals, !argument.hasPrefix("--") {
                    throw UsageError("\(commandPath): unknown option \(argument); see \(commandPath) --help")
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let option = byName[name] else {
                let suggestion = Suggestion.closest(to: name, among: options.map(\.name))
                throw UsageError(
                    "\(commandPath): unknown option \(name)"
                        + (suggestion.map { "; did you mean \($0)?" } ?? "; see \(commandPath) --help"))
            }
            switch option.kind {
            case .flag:
                if inlineValue != nil { throw UsageError("\(commandPath): \(name) takes no value") }
                parsed.flags.insert(name)
            case .value(let placeholder), .repeated(let placeholder):
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw UsageError("\(commandPath): \(name) needs a value (\(name) \(placeholder))")
                    }
                    value = arguments[index]
                    index += 1
                }
                if !option.choices.isEmpty, !option.choices.contains(value) {
                    throw UsageError(
                        "\(commandPath): \(name) must be one of \(option.choices.joined(separator: ", ")), not \"\(value)\""
                    )
                }
                if case .value = option.kind {
                    parsed.values[name] = [value]
                } else {
                    parsed.values[name, default: []].append(value)
                }
            }
        }
        try check(parsed.positionals, against: positionals, commandPath: commandPath)
        return parsed
    }

    private static func check(_ given: [String], against specs: [PositionalSpec], commandPath: String) throws {
        let required = specs.filter { !$0.optional }.count
        let variadic = specs.contains { $0.variadic }
        if given.count < required {
            let missing = specs.filter { !$0.optional }[given.count...].map(\.name).joined(separator: " ")
            throw UsageError("\(commandPath): missing \(missing); see \(commandPath) --help")
        }
        if !variadic, given.count > specs.count {
            throw UsageError("\(commandPath): unexpected argument \"\(given[specs.count])\"; see \(commandPath) --help")
        }
    }
}

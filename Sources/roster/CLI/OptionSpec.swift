/// One option or argument a command accepts; `--help` is generated from these.
struct OptionSpec: Sendable {
    enum Kind: Sendable {
        /// `--dry-run`
        case flag
        /// `--format text`; `placeholder` names the value in help.
        case value(placeholder: String)
        /// `--source NAME`, given any number of times.
        case repeated(placeholder: String)
    }

    var name: String
    var kind: Kind
    var help: String
    /// Allowed values, checked by the parser and listed in help.
    var choices: [String]

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help, choices: [])
    }

    static func value(_ name: String, _ placeholder: String, _ help: String, choices: [String] = []) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help, choices: choices)
    }

    static func repeated(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .repeated(placeholder: placeholder), help: help, choices: [])
    }

    var synopsis: String {
        switch kind {
        case .flag: return name
        case .value(let placeholder): return "\(name) \(placeholder)"
        case .repeated(let placeholder): return "\(name) \(placeholder)..."
        }
    }
}

/// A positional argument.
struct PositionalSpec: Sendable {
    var name: String
    var help: String
    var optional: Bool = false
    /// Takes every remaining argument (`USER...`).
    var variadic: Bool = false

    var synopsis: String {
        let core = variadic ? "\(name)..." : name
        return optional ? "[\(core)]" : core
    }
}

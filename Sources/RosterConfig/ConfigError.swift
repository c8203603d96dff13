/// Everything wrong with a configuration file, one `PATH:LINE:COL: message` line per problem
/// (or a single sentence when the file cannot be read at all), in file order.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// Each problem on its own, already prefixed with its position.
    public var messages: [String]

    /// An error from ready-made messages (the CLI uses it to report a config it cannot find).
    public init(messages: [String]) {
        self.messages = messages
    }

    /// One error per line, as `roster config check` prints them.
    public var description: String { messages.joined(separator: "\n") }

    /// Problems found in `path`, sorted by position so that the first fix is at the top.
    init(path: String, problems: [YAMLProblem]) {
        let ordered = problems.enumerated().sorted { lhs, rhs in
            lhs.element.mark == rhs.element.mark ? lhs.offset < rhs.offset : lhs.element.mark < rhs.element.mark
        }
        var seen = Set<YAMLProblem>()
        messages = ordered.compactMap { _, problem in
            // Identical problems at one place (an alias copied twice, say) are said once.
            guard seen.insert(problem).inserted else { return nil }
            return "\(path):\(problem.mark.line):\(problem.mark.column): \(problem.message)"
        }
    }
}
